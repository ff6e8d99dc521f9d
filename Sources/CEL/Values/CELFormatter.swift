import Foundation

/// Formatting helpers shared by `string()`, error messages and extensions.
enum CELFormatter {
    /// Go `strconv.FormatFloat(d, 'g', -1, 64)` style, as cel-go prints doubles.
    static func double(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        // Shortest round-trip digits from Swift's description.
        let desc = "\(abs(d))"
        var mantissa = desc
        var exp = 0
        if let eIdx = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(desc[..<eIdx])
            exp = Int(desc[desc.index(after: eIdx)...]) ?? 0
        }
        var intPart = mantissa
        var fracPart = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = String(mantissa[..<dot])
            fracPart = String(mantissa[mantissa.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var pointPos = intPart.count + exp  // decimal point position relative to digits start
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPos -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let x = pointPos - 1  // scientific exponent
        let sign = d < 0 ? "-" : ""
        // Go's `%g` with the shortest digits (cel-go's `string(double)`): scientific from an
        // exponent of 6 on (`1e+06`) or below -4.
        if x < -4 || x >= 6 {
            var m = String(digits.prefix(1))
            if digits.count > 1 { m += "." + digits.dropFirst() }
            let es = abs(x) < 10 ? "0\(abs(x))" : "\(abs(x))"
            return "\(sign)\(m)e\(x < 0 ? "-" : "+")\(es)"
        }
        if pointPos <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPos) + digits
        }
        if pointPos >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPos - digits.count)
        }
        let i = digits.index(digits.startIndex, offsetBy: pointPos)
        return sign + digits[..<i] + "." + digits[i...]
    }

    /// A readable rendering of a value (CEL literal-like), for messages and tests.
    static func debug(_ v: CELValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return double(d)
        case .string(let s): return quote(s)
        case .bytes(let b): return "b" + quote(String(decoding: b, as: UTF8.self))
        case .list(let l): return "[" + l.elements.map(debug).joined(separator: ", ") + "]"
        case .map(let m):
            return "{" + m.keys.map { "\(debug($0)): \(debug(m.value(forKey: $0) ?? .null))" }.joined(separator: ", ") + "}"
        case .type(let t): return t.name
        case .duration(let d): return "duration(\"\(d.formatted)\")"
        case .timestamp(let t): return "timestamp(\"\(t.formatted)\")"
        case .optional(let o): return o.map { "optional.of(\(debug($0)))" } ?? "optional.none()"
        case .error(let e): return "error(\(e.message))"
        case .opaque(let o): return "\(o.celTypeName)(...)"
        }
    }

    /// A double-quoted string literal with escapes, as `strings.quote` produces.
    static func quote(_ s: String) -> String {
        var out = "\""
        for sc in s.unicodeScalars {
            switch sc {
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(sc)
            }
        }
        return out + "\""
    }
}

extension CELValue: CustomStringConvertible {
    /// A CEL-literal-like rendering, e.g. `[1, "a", 2u]`, for messages and logs.
    public var description: String { CELFormatter.debug(self) }
}
