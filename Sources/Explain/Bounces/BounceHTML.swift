import Foundation

/// Turns an HTML notification into plain lines (tags dropped, a few entities decoded).
enum BounceHTML {
    static func text(_ html: String) -> String {
        var out = ""
        var inTag = false
        var tag = ""
        for c in html {
            if inTag {
                if c == ">" {
                    inTag = false
                    let name = tag.lowercased().split(whereSeparator: { $0 == " " || $0 == "/" }).first ?? ""
                    if ["br", "p", "div", "tr", "li", "h1", "h2", "h3", "table"].contains(String(name)) { out += "\n" }
                    if ["td", "th"].contains(String(name)) { out += " " }
                } else if tag.count < 64 {
                    tag.append(c)
                }
            } else if c == "<" {
                inTag = true
                tag = ""
            } else {
                out.append(c == "\r\n" ? "\n" : c)
            }
        }
        for (entity, value) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: entity, with: value)
        }
        return out
    }
}
