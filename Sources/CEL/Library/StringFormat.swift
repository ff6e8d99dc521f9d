import Foundation

/// `"...".format([args])` as in the cel-go strings extension.
enum StringFormat {
    /// The largest precision of `%.Nf` and `%.Ne` (Go's `fmt` refuses more than a million digits
    /// too): a larger one asked the formatter for gigabytes.
    static let maxPrecision = 1_000_000

    static func format(_ f: String, _ args: CELList) -> CELValue {
        var out = ""
        let sc = Array(f.unicodeScalars)
        var i = 0
        var argIndex = 0
        while i < sc.count {
            let c = sc[i]
            if c != "%" {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < sc.count else { return .err("could not parse formatting clause: unexpected end of string") }
            if sc[i] == "%" {
                out += "%"
                i += 1
                continue
            }
            var precision: Int?
            if sc[i] == "." {
                i += 1
                var p = 0
                var any = false
                while i < sc.count, sc[i].properties.numericType != nil, let d = Int(String(sc[i])) {
                    p = min(p * 10 + d, maxPrecision + 1)
                    i += 1
                    any = true
                }
                if !any { return .err("could not parse formatting clause: missing precision") }
                if p > maxPrecision { return .err("could not parse formatting clause: precision is larger than \(maxPrecision)") }
                precision = p
            }
            guard i < sc.count else { return .err("could not parse formatting clause: unexpected end of string") }
            let verb = sc[i]
            i += 1
            guard "sdfexXob".unicodeScalars.contains(verb) else {
                return .err("could not parse formatting clause: unrecognized formatting clause \"\(verb)\"")
            }
            guard argIndex < args.count else { return .err("index \(argIndex) out of range") }
            let arg = args[argIndex]
            argIndex += 1
            switch formatOne(verb, precision, arg) {
            case .success(let s): out += s
            case .failure(let e): return .err("error during formatting: \(e.message)")
            }
            guard out.utf8.count <= ResultSizeLimit.stringBytes else { return ResultSizeLimit.stringError("format") }
        }
        return .string(out)
    }

    static func special(_ d: Double) -> String? {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return nil
    }

    static func formatOne(_ verb: Unicode.Scalar, _ precision: Int?, _ v: CELValue) -> Result<String, CELEvalError> {
        switch verb {
        case "s":
            var budget = ResultSizeLimit.stringBytes
            let text = asString(v, budget: &budget)
            if budget < 0 { return .failure(CELEvalError("the result would be larger than \(ResultSizeLimit.stringBytes >> 20) MiB")) }
            guard let s = text else {
                return .failure(CELEvalError("string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given \(v.celType.name)"))
            }
            return .success(s)
        case "d":
            switch v {
            case .int(let i): return .success(String(i))
            case .uint(let u): return .success(String(u))
            case .double(let d) where !d.isFinite: return .success(special(d) ?? "")
            default: return .failure(CELEvalError("decimal clause can only be used on integers, was given \(v.celType.name)"))
            }
        case "f", "e":
            let d: Double
            switch v {
            case .int(let i): d = Double(i)
            case .uint(let u): d = Double(u)
            case .double(let x): d = x
            default:
                let name = verb == "f" ? "fixed-point" : "scientific"
                return .failure(CELEvalError("\(name) clause can only be used on doubles, was given \(v.celType.name)"))
            }
            if let s = special(d) { return .success(s) }
            return .success(String(format: "%.\(precision ?? 6)\(verb)", d))
        case "b":
            switch v {
            case .int(let i): return .success(i < 0 ? "-" + String(i.magnitude, radix: 2) : String(i, radix: 2))
            case .uint(let u): return .success(String(u, radix: 2))
            case .bool(let b): return .success(b ? "1" : "0")
            default: return .failure(CELEvalError("only integers and bools can be formatted as binary, was given \(v.celType.name)"))
            }
        case "o":
            switch v {
            case .int(let i): return .success(i < 0 ? "-" + String(i.magnitude, radix: 8) : String(i, radix: 8))
            case .uint(let u): return .success(String(u, radix: 8))
            default: return .failure(CELEvalError("octal clause can only be used on integers, was given \(v.celType.name)"))
            }
        default:  // x, X
            let upper = verb == "X"
            let s: String
            switch v {
            case .int(let i): s = i < 0 ? "-" + String(i.magnitude, radix: 16) : String(i, radix: 16)
            case .uint(let u): s = String(u, radix: 16)
            case .string(let str): s = Array(str.utf8).map { String(format: "%02x", $0) }.joined()
            case .bytes(let b): s = b.map { String(format: "%02x", $0) }.joined()
            default:
                return .failure(CELEvalError("only integers, byte buffers, and strings can be formatted as hex, was given \(v.celType.name)"))
            }
            return .success(upper ? s.uppercased() : s)
        }
    }

    /// `%s` rendering: strings bare, lists `[a, b]`, maps `{k: v}` sorted by rendered key. Each
    /// rendered element counts against `budget` (bytes): a list nesting itself renders to
    /// exponentially many; nil, with `budget` below zero, once it is spent.
    static func asString(_ v: CELValue, budget: inout Int) -> String? {
        guard budget >= 0 else { return nil }
        let rendered = render(v, budget: &budget)
        budget -= rendered?.utf8.count ?? 0
        return budget < 0 ? nil : rendered
    }

    private static func render(_ v: CELValue, budget: inout Int) -> String? {
        switch v {
        case .string(let s): return s
        case .double(let d): return special(d) ?? CELFormatter.double(d)
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .list(let l):
            var parts: [String] = []
            for e in l.elements {
                guard let s = asString(e, budget: &budget) else { return nil }
                parts.append(s)
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .map(let m):
            var parts: [(String, String)] = []
            for k in m.keys {
                guard let ks = asString(k, budget: &budget), let vs = asString(m.value(forKey: k) ?? .null, budget: &budget) else { return nil }
                parts.append((ks, vs))
            }
            parts.sort { $0.0 < $1.0 }
            return "{" + parts.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
        case .optional, .error, .opaque: return nil
        default:
            if case .string(let s) = Stdlib.toString(v) { return s }
            return nil
        }
    }
}
