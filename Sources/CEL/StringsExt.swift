import Foundation

/// The cel-go / Kubernetes strings extension library, plus `base64` encoders.
/// All indices count Unicode code points.
enum StringsExt {
    static func outOfRange(_ i: Int64) -> CELValue { .err("index out of range: \(i)") }

    static func indexOf(_ s: [Unicode.Scalar], _ sub: [Unicode.Scalar], from: Int) -> Int {
        if sub.isEmpty { return from }
        if sub.count > s.count - from { return -1 }
        var i = from
        while i + sub.count <= s.count {
            if s[i] == sub[0] && s[i..<(i + sub.count)].elementsEqual(sub) { return i }
            i += 1
        }
        return -1
    }

    static func lastIndexOf(_ s: [Unicode.Scalar], _ sub: [Unicode.Scalar], upTo: Int) -> Int {
        if sub.isEmpty { return upTo }
        var i = min(upTo, s.count - sub.count)
        while i >= 0 {
            if s[i..<(i + sub.count)].elementsEqual(sub) { return i }
            i -= 1
        }
        return -1
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars)
        return String(v)
    }

    static func replace(_ s: String, _ old: String, _ new: String, _ n: Int64) -> String {
        if n == 0 { return s }
        let sc = Array(s.unicodeScalars)
        let oc = Array(old.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        var count: Int64 = 0
        while i <= sc.count {
            if n >= 0 && count >= n { break }
            if oc.isEmpty {
                out.append(contentsOf: new.unicodeScalars)
                count += 1
                if i < sc.count { out.append(sc[i]) }
                i += 1
                continue
            }
            let j = indexOf(sc, oc, from: i)
            if j < 0 { break }
            out.append(contentsOf: sc[i..<j])
            out.append(contentsOf: new.unicodeScalars)
            i = j + oc.count
            count += 1
        }
        if i < sc.count { out.append(contentsOf: sc[i...]) }
        return String(out)
    }

    static func split(_ s: String, _ sep: String, _ n: Int64) -> [CELValue] {
        if n == 0 { return [] }
        let sc = Array(s.unicodeScalars)
        let sp = Array(sep.unicodeScalars)
        var out: [CELValue] = []
        if sp.isEmpty {
            for (k, c) in sc.enumerated() {
                if n > 0 && Int64(out.count) == n - 1 {
                    out.append(.string(string(sc[k...])))
                    return out
                }
                out.append(.string(String(c)))
            }
            return out
        }
        var i = 0
        while true {
            if n > 0 && Int64(out.count) == n - 1 { break }
            let j = indexOf(sc, sp, from: i)
            if j < 0 { break }
            out.append(.string(string(sc[i..<j])))
            i = j + sp.count
        }
        out.append(.string(string(sc[i...])))
        return out
    }

    static func register(_ t: inout FunctionTable) {
        t.addReceiver("charAt", 2) { a in
            guard case .string(let s) = a[0], case .int(let i) = a[1] else { return noSuchOverload("charAt", a) }
            let sc = Array(s.unicodeScalars)
            if i < 0 || i > sc.count { return outOfRange(i) }
            return .string(i == sc.count ? "" : String(sc[Int(i)]))
        }
        t.addReceiver("indexOf", 2, sizeCost: true) { a in
            if case .list = a[0] { return ListsExt.indexOf(a[0], a[1], last: false) }
            guard case .string(let s) = a[0], case .string(let sub) = a[1] else { return noSuchOverload("indexOf", a) }
            return .int(Int64(indexOf(Array(s.unicodeScalars), Array(sub.unicodeScalars), from: 0)))
        }
        t.addReceiver("indexOf", 3, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let sub) = a[1], case .int(let from) = a[2] else {
                return noSuchOverload("indexOf", a)
            }
            let sc = Array(s.unicodeScalars)
            if from < 0 || from > sc.count { return outOfRange(from) }
            return .int(Int64(indexOf(sc, Array(sub.unicodeScalars), from: Int(from))))
        }
        t.addReceiver("lastIndexOf", 2, sizeCost: true) { a in
            if case .list = a[0] { return ListsExt.indexOf(a[0], a[1], last: true) }
            guard case .string(let s) = a[0], case .string(let sub) = a[1] else { return noSuchOverload("lastIndexOf", a) }
            let sc = Array(s.unicodeScalars)
            return .int(Int64(lastIndexOf(sc, Array(sub.unicodeScalars), upTo: sc.count)))
        }
        t.addReceiver("lastIndexOf", 3, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let sub) = a[1], case .int(let upTo) = a[2] else {
                return noSuchOverload("lastIndexOf", a)
            }
            let sc = Array(s.unicodeScalars)
            if upTo < 0 || upTo > sc.count { return outOfRange(upTo) }
            return .int(Int64(lastIndexOf(sc, Array(sub.unicodeScalars), upTo: Int(upTo))))
        }
        t.addReceiver("lowerAscii", 1, sizeCost: true) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("lowerAscii", a) }
            return .string(String(String.UnicodeScalarView(s.unicodeScalars.map {
                $0.value >= 65 && $0.value <= 90 ? Unicode.Scalar($0.value + 32)! : $0
            })))
        }
        t.addReceiver("upperAscii", 1, sizeCost: true) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("upperAscii", a) }
            return .string(String(String.UnicodeScalarView(s.unicodeScalars.map {
                $0.value >= 97 && $0.value <= 122 ? Unicode.Scalar($0.value - 32)! : $0
            })))
        }
        t.addReceiver("replace", 3, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let o) = a[1], case .string(let n) = a[2] else {
                return noSuchOverload("replace", a)
            }
            return .string(replace(s, o, n, -1))
        }
        t.addReceiver("replace", 4, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let o) = a[1], case .string(let n) = a[2],
                case .int(let k) = a[3]
            else { return noSuchOverload("replace", a) }
            return .string(replace(s, o, n, k))
        }
        t.addReceiver("split", 2, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let sep) = a[1] else { return noSuchOverload("split", a) }
            return .list(CELList(split(s, sep, -1)))
        }
        t.addReceiver("split", 3, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let sep) = a[1], case .int(let n) = a[2] else {
                return noSuchOverload("split", a)
            }
            return .list(CELList(split(s, sep, n)))
        }
        t.addReceiver("substring", 2, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .int(let start) = a[1] else { return noSuchOverload("substring", a) }
            let sc = Array(s.unicodeScalars)
            if start < 0 || start > sc.count { return outOfRange(start) }
            return .string(string(sc[Int(start)...]))
        }
        t.addReceiver("substring", 3, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .int(let start) = a[1], case .int(let end) = a[2] else {
                return noSuchOverload("substring", a)
            }
            let sc = Array(s.unicodeScalars)
            if start < 0 || start > sc.count { return outOfRange(start) }
            if end < 0 || end > sc.count { return outOfRange(end) }
            if start > end { return .err("invalid substring range. start: \(start), end: \(end)") }
            return .string(string(sc[Int(start)..<Int(end)]))
        }
        t.addReceiver("trim", 1, sizeCost: true) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("trim", a) }
            let sc = Array(s.unicodeScalars)
            var lo = 0
            var hi = sc.count
            while lo < hi, isSpace(sc[lo]) { lo += 1 }
            while hi > lo, isSpace(sc[hi - 1]) { hi -= 1 }
            return .string(string(sc[lo..<hi]))
        }
        t.addReceiver("join", 1, sizeCost: true) { a in join(a[0], "") }
        t.addReceiver("join", 2, sizeCost: true) { a in
            guard case .string(let sep) = a[1] else { return noSuchOverload("join", a) }
            return join(a[0], sep)
        }
        t.addReceiver("reverse", 1, sizeCost: true) { a in
            switch a[0] {
            case .string(let s): return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed())))
            case .list(let l): return .list(CELList(l.elements.reversed()))
            default: return noSuchOverload("reverse", a)
            }
        }
        t.addGlobal("strings.quote", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("strings.quote", a) }
            return .string(CELFormatter.quote(s))
        }
        t.addReceiver("format", 2, sizeCost: true) { a in
            guard case .string(let f) = a[0], case .list(let args) = a[1] else { return noSuchOverload("format", a) }
            return StringFormat.format(f, args)
        }
        t.addGlobal("base64.encode", 1) { a in
            guard case .bytes(let b) = a[0] else { return noSuchOverload("base64.encode", a) }
            return .string(Data(b).base64EncodedString())
        }
        t.addGlobal("base64.decode", 1) { a in
            guard case .string(var s) = a[0] else { return noSuchOverload("base64.decode", a) }
            if let d = Data(base64Encoded: s) { return .bytes(Array(d)) }
            while s.utf8.count % 4 != 0 { s += "=" }
            if let d = Data(base64Encoded: s) { return .bytes(Array(d)) }
            return .err("invalid base64 input")
        }
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    static func join(_ v: CELValue, _ sep: String) -> CELValue {
        guard case .list(let l) = v else { return noSuchOverload("join", [v]) }
        var parts: [String] = []
        for i in 0..<l.count {
            guard case .string(let s) = l[i] else { return .err("join: list element is not a string") }
            parts.append(s)
        }
        return .string(parts.joined(separator: sep))
    }
}

/// `"...".format([args])` as in the cel-go strings extension.
enum StringFormat {
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
                    p = p * 10 + d
                    i += 1
                    any = true
                }
                if !any { return .err("could not parse formatting clause: missing precision") }
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
            guard let s = asString(v) else {
                return .failure(CELEvalError("string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given \(v.celType.name)"))
            }
            return .success(s)
        case "d":
            switch v {
            case .int(let i): return .success(String(i))
            case .uint(let u): return .success(String(u))
            case .double(let d) where special(d) != nil: return .success(special(d)!)
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

    /// `%s` rendering: strings bare, lists `[a, b]`, maps `{k: v}` sorted by rendered key.
    static func asString(_ v: CELValue) -> String? {
        switch v {
        case .string(let s): return s
        case .double(let d): return special(d) ?? CELFormatter.double(d)
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .list(let l):
            var parts: [String] = []
            for e in l.elements {
                guard let s = asString(e) else { return nil }
                parts.append(s)
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .map(let m):
            var parts: [(String, String)] = []
            for k in m.keys {
                guard let ks = asString(k), let vs = asString(m.value(forKey: k) ?? .null) else { return nil }
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
