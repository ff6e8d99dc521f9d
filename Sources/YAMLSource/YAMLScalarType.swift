/// The type a plain scalar resolves to, following sigs.k8s.io/yaml (YAML 1.1 for plain scalars,
/// as go-yaml v2 reads them): `yes`/`on`/`y` are booleans, `017` is octal, `0x1F` hex, `1e3` a float,
/// `2024-01-01` stays a string. Quoted scalars are always strings.
public enum YAMLScalarType: UInt8, Sendable {
    case null, bool, int, float, string

    /// Resolves an untagged plain scalar.
    public static func resolvePlain(_ text: String) -> YAMLScalarType {
        guard let first = text.utf8.first else { return .null }
        // Most scalars are words: the first byte and the length rule out the tables cheaply.
        let short = text.utf8.count <= 5
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            if short, nullForms.contains(text) { return .null }
        default: break
        }
        if short, boolInitials.contains(first), boolForms[text] != nil { return .bool }
        guard startsNumeric(first) else { return .string }
        if floatSpecials[text] != nil { return .float }
        if YAMLScalarType.parseInt(text) != nil { return .int }
        if YAMLScalarType.parseFloat(text) != nil { return .float }
        return .string
    }

    /// Resolves an untagged plain scalar from its UTF-8 bytes, as `resolvePlain(_: String)` does.
    /// Words (most keys and values) are told apart without hashing or making a string; decimal
    /// integers without a sign, leading zero or underscore are recognised in place; only the
    /// other forms of numbers are left to the string tables.
    static func resolvePlain(_ bytes: UnsafeBufferPointer<UInt8>) -> YAMLScalarType {
        guard let first = bytes.first else { return .null }
        if !startsNumeric(first) {
            guard bytes.count <= 5 else { return .string }
            let word = packedWord(bytes)
            if nullWords.contains(word) { return .null }
            if boolWords.contains(word) { return .bool }
            return .string
        }
        let plainDecimal = bytes.count <= 18 && (first != UInt8(ascii: "0") || bytes.count == 1)
            && bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        if plainDecimal { return .int }
        // Quantities (`100m`, `1Gi`) and other words starting with a digit hold a byte no number
        // can have, which spares the string tables.
        guard bytes.allSatisfy(mayBeInNumber) else { return .string }
        return resolvePlain(String(decoding: bytes, as: UTF8.self))
    }

    /// Whether a byte can be part of a plain scalar that `resolvePlain` reads as a number or a
    /// `.inf`/`.nan` spelling: digits, hexadecimal digits, radix letters, signs, the point, `_`,
    /// and the letters of `inf` and `nan`.
    private static func mayBeInNumber(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"),
             UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "i"), UInt8(ascii: "I"),
             UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// Whether a scalar starting with `first` may be a number (sign, dot or digit).
    private static func startsNumeric(_ first: UInt8) -> Bool {
        first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
    }

    /// Up to 5 bytes and their count in one integer, so that short words compare in one step.
    private static func packedWord<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
        bytes.reduce(UInt64(bytes.count) << 56) { $0 << 8 | UInt64($1) }
    }

    private static let nullWords = nullForms.map { packedWord($0.utf8) }
    private static let boolWords = boolForms.keys.map { packedWord($0.utf8) }

    /// First bytes of the spellings in `boolForms`.
    private static let boolInitials: Set<UInt8> = Set(boolForms.keys.compactMap(\.utf8.first))

    static let nullForms: Set<String> = ["~", "null", "Null", "NULL"]

    static let boolForms: [String: Bool] = [
        "y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
        "true": true, "True": true, "TRUE": true, "on": true, "On": true, "ON": true,
        "n": false, "N": false, "no": false, "No": false, "NO": false,
        "false": false, "False": false, "FALSE": false, "off": false, "Off": false, "OFF": false,
    ]

    static let floatSpecials: [String: Double] = [
        ".inf": .infinity, ".Inf": .infinity, ".INF": .infinity,
        "+.inf": .infinity, "+.Inf": .infinity, "+.INF": .infinity,
        "-.inf": -.infinity, "-.Inf": -.infinity, "-.INF": -.infinity,
        ".nan": .nan, ".NaN": .nan, ".NAN": .nan,
    ]

    /// The boolean value of a scalar spelled as a YAML 1.1 boolean.
    public static func parseBool(_ text: String) -> Bool? { boolForms[text] }

    /// Integers as Go's `strconv.ParseInt(s, 0, 64)` reads them after go-yaml strips `_`:
    /// optional sign, then decimal, `0x` hex, `0o` or leading-`0` octal, `0b` binary.
    public static func parseInt(_ text: String) -> Int64? {
        var bytes = Array(text.utf8.filter { $0 != UInt8(ascii: "_") })
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        guard !bytes.isEmpty else { return nil }
        var radix: UInt64 = 10
        if bytes.count > 1, bytes[0] == UInt8(ascii: "0") {
            switch bytes[1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): radix = 16; bytes.removeFirst(2)
            case UInt8(ascii: "o"), UInt8(ascii: "O"): radix = 8; bytes.removeFirst(2)
            case UInt8(ascii: "b"), UInt8(ascii: "B"): radix = 2; bytes.removeFirst(2)
            default: radix = 8; bytes.removeFirst()
            }
            guard !bytes.isEmpty else { return nil }
        }
        var magnitude: UInt64 = 0
        for byte in bytes {
            guard let digit = digitValue(byte), digit < radix else { return nil }
            let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            magnitude = sum
        }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// Floats as go-yaml accepts them: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`,
    /// plus `.inf` and `.nan` spellings. A number beyond the range of a double (`1e400`) is not a
    /// float: go-yaml keeps it a string, as its `strconv.ParseFloat` fails with a range error (a
    /// Kubernetes quantity `cpu: 1e400` is then read as written).
    public static func parseFloat(_ text: String) -> Double? {
        if let special = floatSpecials[text] { return special }
        let bytes = Array(text.utf8.filter { $0 != UInt8(ascii: "_") })
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
        } else {
            guard digits() > 0 else { return nil }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                _ = digits()
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            guard digits() > 0 else { return nil }
        }
        guard index == bytes.count else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self)).flatMap { $0.isFinite ? $0 : nil }
    }

    private static func digitValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt64(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt64(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
