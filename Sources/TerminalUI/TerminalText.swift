import Foundation

/// What reaches the terminal, character by character: the one place that
/// decides how a frame's text is shown when the locale is not UTF-8 (ASCII
/// stand-ins for borders, arrows and symbols) and that no control character
/// ever reaches curses, whatever a screen forgot to clean. Every mapping keeps
/// one character per cell, so layouts never shift.
public enum TerminalText {
    /// The ASCII stand-in of one character (itself when it is printable ASCII).
    public static func ascii(_ character: Character) -> Character {
        guard let first = character.unicodeScalars.first else { return "?" }
        let value = first.value
        if character.unicodeScalars.count == 1, value < 0x80 { return value < 0x20 || value == 0x7f ? "?" : character }
        if let mapped = standIns[value] { return mapped }
        switch value {
        case 0x2500...0x257f: return boxDrawing(value)
        case 0x2800...0x28ff: return "*"  // braille spinners and bars
        case 0x2580...0x259f: return value == 0x2591 ? "." : "#"  // block elements
        case 0x2000...0x200a, 0x202f, 0x205f, 0x3000: return " "
        default: break
        }
        // A letter with marks keeps its base letter: é becomes e.
        if let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.first,
           base.value >= 0x20, base.value < 0x7f {
            return Character(base)
        }
        return "?"
    }

    /// The character as it may be drawn in a UTF-8 terminal: control
    /// characters (C0, DEL, C1) become "?", everything else is kept.
    public static func displayable(_ character: Character) -> Character {
        for scalar in character.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7f || (0x80..<0xa0).contains(v) { return "?" }
        }
        return character
    }

    /// A string mapped character by character (same character count).
    public static func map(_ text: String, ascii: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            out.append(ascii ? Self.ascii(character) : displayable(character))
        }
        return out
    }

    /// Lines, corners and junctions of the box-drawing block.
    private static func boxDrawing(_ value: UInt32) -> Character {
        switch value {
        case 0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254c, 0x254d, 0x2550, 0x2574, 0x2576, 0x2578, 0x257a, 0x257c, 0x257e:
            return "-"
        case 0x2502, 0x2503, 0x2506, 0x2507, 0x250a, 0x250b, 0x254e, 0x254f, 0x2551, 0x2575, 0x2577, 0x2579, 0x257b, 0x257d, 0x257f:
            return "|"
        case 0x2571: return "/"
        case 0x2572: return "\\"
        case 0x2573: return "X"
        default: return "+"  // corners, tees, crosses, rounded corners
        }
    }

    /// Symbols the screens may use, and typography that arrives in text.
    private static let standIns: [UInt32: Character] = [
        0x00a0: " ", 0x00ab: "<", 0x00bb: ">", 0x00b7: ".", 0x00d7: "x", 0x00b0: "o", 0x00a9: "c", 0x00ae: "r",
        0x00df: "s", 0x00e6: "a", 0x00c6: "A", 0x00f8: "o", 0x00d8: "O", 0x0131: "i", 0x0142: "l", 0x0141: "L",
        0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-", 0x2014: "-", 0x2015: "-", 0x2212: "-",
        0x2018: "'", 0x2019: "'", 0x201a: "'", 0x201b: "'", 0x2032: "'",
        0x201c: "\"", 0x201d: "\"", 0x201e: "\"", 0x201f: "\"", 0x2033: "\"",
        0x2022: "*", 0x2023: ">", 0x2026: ".", 0x2027: ".", 0x2039: "<", 0x203a: ">", 0x2219: ".", 0x22c5: ".",
        0x2190: "<", 0x2192: ">", 0x2191: "^", 0x2193: "v", 0x2194: "-", 0x2195: "|", 0x21d0: "<", 0x21d2: ">",
        0x27f5: "<", 0x27f6: ">", 0x279c: ">", 0x2794: ">", 0x27a4: ">",
        0x25b6: ">", 0x25b8: ">", 0x25ba: ">", 0x25c0: "<", 0x25c2: "<", 0x25c4: "<", 0x25b2: "^", 0x25b4: "^", 0x25bc: "v", 0x25be: "v",
        0x25cf: "*", 0x25c9: "*", 0x25c6: "*", 0x25c7: "o", 0x25cb: "o", 0x25ef: "o", 0x25e6: "o", 0x25a0: "#", 0x25a1: "o",
        0x25aa: "*", 0x25ab: "o", 0x2605: "*", 0x2606: "*",
        0x2713: "v", 0x2714: "v", 0x2705: "v", 0x2717: "x", 0x2718: "x", 0x2715: "x", 0x2716: "x", 0x274c: "x",
        0x26a0: "!", 0x2757: "!", 0x2139: "i",
        0x2264: "<", 0x2265: ">", 0x2248: "~", 0x2260: "#", 0x00b1: "+", 0x221e: "8",
        0x23f1: "t", 0x23f3: "t", 0x231b: "t",
        0xfeff: " ", 0x200b: " ", 0x200c: " ", 0x200d: " ", 0x2060: " ",
    ]
}

extension Frame {
    /// The frame as the terminal may show it: ASCII only when the locale is
    /// not UTF-8, control characters replaced in any case.
    public func forTerminal(ascii: Bool) -> Frame {
        var copy = self
        copy.lines = lines.map { line in
            Line(line.spans.map { Span(TerminalText.map($0.text, ascii: ascii), $0.style) })
        }
        return copy
    }
}
