import Foundation

/// Verifies every DKIM signature of a saved message (RFC 6376 6), the way a
/// receiving server would, and says why each one fails.
public enum DKIMVerifier {
    /// Signatures beyond this many (top first) are not verified: a message
    /// with a thousand of them is an attack on verifiers, not mail.
    public static let maximumSignatures = 50

    public static func verify(message: [UInt8], dns: any MailDNS, now: Date = Date()) async -> [DKIMVerification] {
        guard message.count <= SavedMessage.maximumSize else {
            return tooLarge(message)
        }
        return await verify(SavedMessage(bytes: message), dns: dns, now: now)
    }

    /// Verifies an already split message.
    public static func verify(_ message: SavedMessage, dns: any MailDNS, now: Date = Date()) async -> [DKIMVerification] {
        let signatureFields = message.fields.indices
            .filter { message.fields[$0].key == "dkim-signature" }
            .prefix(maximumSignatures)
        var steps = signatureFields.enumerated().map { offset, fieldPosition in
            DKIMVerificationSteps(message: message, position: offset + 1, fieldPosition: fieldPosition, now: now)
        }
        guard !steps.isEmpty else { return [] }

        let names = Set(steps.compactMap(\.keyNameToFetch))
        let keys = await fetchKeys(names, dns: dns)
        let requests = Set(steps.compactMap(\.bodyHashRequest))
        let bodyHashes = DKIMBodyHashes(body: message.body, requests: requests)
        var headerHasher = DKIMHeaderHasher(message: message)
        for index in steps.indices {
            steps[index].finish(keys: keys, bodyHashes: bodyHashes, headerHasher: &headerHasher)
        }
        return steps.map(\.verification)
    }

    /// Every key record at once (RFC 6376 6.1.2), one query per distinct name.
    static func fetchKeys(_ names: Set<KeyName>, dns: any MailDNS) async -> [KeyName: DKIMSelectorResult] {
        await withTaskGroup(of: (KeyName, DKIMSelectorResult).self) { group in
            for name in names {
                group.addTask {
                    (name, await DKIMKeyLookup.lookup(selector: name.selector, domain: name.domain, dns: dns))
                }
            }
            var results: [KeyName: DKIMSelectorResult] = [:]
            for await (name, result) in group { results[name] = result }
            return results
        }
    }

    struct KeyName: Hashable, Sendable {
        var selector: String
        var domain: String
    }

    /// Too large to read: one failure per signature field near the top.
    private static func tooLarge(_ message: [UInt8]) -> [DKIMVerification] {
        let head = SavedMessage(bytes: Array(message.prefix(1024 * 1024)))
        return head.fields.filter { $0.key == "dkim-signature" }.prefix(maximumSignatures).enumerated().map { offset, field in
            let tags = head.value(field, limit: DKIMTagList.maximumLength).flatMap { try? DKIMTagList.parse($0).get() }
            return DKIMVerification(
                outcome: .fail(.messageTooLarge(message.count)), position: offset + 1,
                domain: tags?.value("d") ?? "", selector: tags?.value("s") ?? "", algorithm: tags?.value("a") ?? "",
                evidence: ["the message is \(message.count) bytes; messages over \(SavedMessage.maximumSize) bytes are not verified"])
        }
    }
}
