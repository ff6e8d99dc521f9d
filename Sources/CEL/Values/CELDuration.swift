import Foundation

/// A CEL `duration` (google.protobuf.Duration): seconds plus nanoseconds in 0 ..< 1e9. Its range is
/// cel-go's, which holds a duration as a Go `time.Duration`: a whole number of nanoseconds within
/// Int64 (about ±292 years), narrower than the ±10,000 years cel-spec allows.
public struct CELDuration: Hashable, Comparable, Sendable {
    /// Whole seconds (floor).
    public let seconds: Int64
    /// Nanoseconds added to `seconds`, 0 ..< 1_000_000_000.
    public let nanos: Int32

    /// Creates a normalized duration; nil when it is not a whole number of Int64 nanoseconds.
    public init?(seconds: Int64, nanos: Int64 = 0) {
        let (carry, remainder) = nanos.quotientAndRemainder(dividingBy: 1_000_000_000)
        var (s, overflow) = seconds.addingReportingOverflow(carry)
        var n = remainder
        if n < 0 && !overflow {
            n += 1_000_000_000
            (s, overflow) = s.subtractingReportingOverflow(1)
        }
        if overflow { return nil }
        self.seconds = s
        self.nanos = Int32(n)
        if totalNanos == nil { return nil }
    }

    public static func < (a: CELDuration, b: CELDuration) -> Bool {
        (a.seconds, a.nanos) < (b.seconds, b.nanos)
    }

    /// Seconds truncated toward zero and the matching signed nanosecond remainder.
    var truncated: (seconds: Int64, nanos: Int64) {
        if seconds < 0 && nanos > 0 { return (seconds + 1, Int64(nanos) - 1_000_000_000) }
        return (seconds, Int64(nanos))
    }

    /// Total nanoseconds, nil when it does not fit in Int64. Summed from the truncated parts:
    /// the floor seconds of the most negative duration times 10⁹ do not fit.
    var totalNanos: Int64? {
        let (s, n) = truncated
        let (m, o1) = s.multipliedReportingOverflow(by: 1_000_000_000)
        let (t, o2) = m.addingReportingOverflow(n)
        return o1 || o2 ? nil : t
    }

    static func + (a: CELDuration, b: CELDuration) -> CELDuration? {
        CELDuration(seconds: a.seconds + b.seconds, nanos: Int64(a.nanos) + Int64(b.nanos))
    }

    static func - (a: CELDuration, b: CELDuration) -> CELDuration? {
        CELDuration(seconds: a.seconds - b.seconds, nanos: Int64(a.nanos) - Int64(b.nanos))
    }

    var negated: CELDuration? { CELDuration(seconds: -seconds, nanos: -Int64(nanos)) }

    /// Parses a duration as Go's `time.ParseDuration` reads it for cel-go's `duration(string)`:
    /// `0`, or a sign and numbers each with a unit (`1h30m`, `-1.5s`, `.5us`): `ns`, `us` (`µs`,
    /// `μs`), `ms`, `s`, `m`, `h`. A number's fraction adds its nanoseconds truncated, not rounded
    /// (`1.0000000009s` is 1s), and the total must fit a Go `time.Duration` (Int64 nanoseconds,
    /// about ±292 years). Nil where Go's parse fails.
    static func parse(_ text: String) -> CELDuration? {
        var s = Array(text.utf8)[...]
        var negative = false
        if let sign = s.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            s = s.dropFirst()
        }
        if s.elementsEqual("0".utf8) { return CELDuration(seconds: 0) }
        if s.isEmpty { return nil }
        var total: UInt64 = 0
        while !s.isEmpty {
            guard let number = leadingNumber(&s), let unit = leadingUnit(&s), number.whole <= (1 << 63) / unit else { return nil }
            var nanos = number.whole * unit
            if number.fraction > 0 {
                nanos += UInt64(Double(number.fraction) * (Double(unit) / number.scale))
                guard nanos <= 1 << 63 else { return nil }
            }
            total &+= nanos  // Wraps at 2⁶⁴ as Go's does (two terms of 2⁶³ each).
            guard total <= 1 << 63 else { return nil }
        }
        guard negative || total <= UInt64(Int64.max) else { return nil }
        return CELDuration(seconds: 0, nanos: negative ? Int64(truncatingIfNeeded: 0 &- total) : Int64(total))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The number before a unit, taken off the front of `s` as Go's `leadingInt` and
    /// `leadingFraction` read it: whole digits up to 2⁶³, then optionally `.` and fraction digits,
    /// which stop adding precision where they would overflow (the value is whole + fraction / scale).
    /// Nil without a digit, or for a larger whole number.
    private static func leadingNumber(_ s: inout ArraySlice<UInt8>) -> (whole: UInt64, fraction: UInt64, scale: Double)? {
        var whole: UInt64 = 0
        var hasDigits = false
        while let byte = s.first, isDigit(byte) {
            guard whole <= (1 << 63) / 10 else { return nil }
            whole = whole * 10 + UInt64(byte - UInt8(ascii: "0"))
            guard whole <= 1 << 63 else { return nil }
            s = s.dropFirst()
            hasDigits = true
        }
        var fraction: UInt64 = 0
        var scale = 1.0
        if s.first == UInt8(ascii: ".") {
            s = s.dropFirst()
            var overflowed = false
            while let byte = s.first, isDigit(byte) {
                s = s.dropFirst()
                hasDigits = true
                overflowed = overflowed || fraction > UInt64(Int64.max) / 10
                guard !overflowed else { continue }
                let next = fraction * 10 + UInt64(byte - UInt8(ascii: "0"))
                overflowed = next > 1 << 63
                guard !overflowed else { continue }
                fraction = next
                scale *= 10
            }
        }
        return hasDigits ? (whole, fraction, scale) : nil
    }

    /// Go's duration units, in nanoseconds.
    private static let units: [(name: String, nanos: UInt64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// The unit taken off the front of `s`: every byte up to the next digit or `.`, as Go reads
    /// it (`1hm` has the unknown unit `hm`). Nil for an unknown or missing unit.
    private static func leadingUnit(_ s: inout ArraySlice<UInt8>) -> UInt64? {
        let end = s.firstIndex { isDigit($0) || $0 == UInt8(ascii: ".") } ?? s.endIndex
        let name = s[..<end]
        s = s[end...]
        return units.first { $0.name.utf8.elementsEqual(name) }?.nanos
    }

    /// Formats as seconds with a fraction only when needed: `1000000s`, `1.5s`, `-0.000000001s`.
    var formatted: String {
        let (s, n) = truncated
        if n == 0 { return "\(s)s" }
        var frac = String(abs(n))
        frac = String(repeating: "0", count: 9 - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        let sign = (s < 0 || n < 0) ? "-" : ""
        return "\(sign)\(abs(s)).\(frac)s"
    }
}
