import Crypto

/// SHA-256 body hashes for all the signatures of a message in one pass per
/// canonicalisation: each `l=` length is a snapshot of the running hash
/// (SHA256 is a value type, so a copy forks it), so fifty signatures with
/// fifty different `l=` cost no more than one.
struct DKIMBodyHashes {
    struct Request: Hashable {
        var mode: DKIMCanonicalization
        /// `l=`; nil for the whole body.
        var length: Int?
    }

    struct Hash: Hashable {
        /// Nil when `l=` is longer than the canonical body.
        var digest: [UInt8]?
        /// Bytes in the whole canonical body.
        var canonicalLength: Int
    }

    private(set) var hashes: [Request: Hash] = [:]

    init(body: ArraySlice<UInt8>, requests: Set<Request>) {
        for mode in DKIMCanonicalization.allCases {
            let wanted = requests.filter { $0.mode == mode }
            guard !wanted.isEmpty else { continue }
            let limits = Set(wanted.compactMap(\.length)).sorted()
            var run = PrefixHasher(limits: limits)
            DKIMCanonicalizer.body(body, mode) { run.consume($0) }
            let whole = Array(run.hasher.finalize())
            for request in wanted {
                let digest: [UInt8]? = if let length = request.length { run.snapshots[length] } else { whole }
                hashes[request] = Hash(digest: digest, canonicalLength: run.count)
            }
        }
    }

    subscript(_ request: Request) -> Hash? { hashes[request] }
}

/// A running SHA-256 that records the digest of the first N bytes for each
/// requested N.
private struct PrefixHasher {
    var hasher = SHA256()
    var count = 0
    let limits: [Int]
    var nextLimit = 0
    var snapshots: [Int: [UInt8]] = [:]

    init(limits: [Int]) {
        self.limits = limits
        takeSnapshotsReached()
    }

    mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>) {
        var offset = 0
        while nextLimit < limits.count, limits[nextLimit] - count <= chunk.count - offset {
            let take = limits[nextLimit] - count
            hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: chunk[offset..<(offset + take)])))
            count += take
            offset += take
            takeSnapshotsReached()
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: chunk[offset...])))
        count += chunk.count - offset
    }

    private mutating func takeSnapshotsReached() {
        while nextLimit < limits.count, limits[nextLimit] == count {
            let copy = hasher
            snapshots[limits[nextLimit]] = Array(copy.finalize())
            nextLimit += 1
        }
    }
}
