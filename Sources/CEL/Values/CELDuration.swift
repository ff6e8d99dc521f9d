import Foundation

/// A CEL `duration` (google.protobuf.Duration): seconds plus nanoseconds in 0 ..< 1e9.
public struct CELDuration: Hashable, Comparable, Sendable {
    /// Whole seconds (floor).
    public let seconds: Int64
    /// Nanoseconds added to `seconds`, 0 ..< 1_000_000_000.
    public let nanos: Int32

    static let maxSeconds: Int64 = 315_576_000_000

    /// Creates a normalized duration; nil when outside ±315,576,000,000 seconds.
    public init?(seconds: Int64, nanos: Int64 = 0) {
        var s = seconds
        var n = nanos
        let (q, r) = n.quotientAndRemainder(dividingBy: 1_000_000_000)
        s = s.addingReportingOverflow(q).overflow ? Int64.max : s + q
        n = r
        if n < 0 {
            n += 1_000_000_000
            s -= 1
        }
        let tooSmall = s < -Self.maxSeconds
        let tooLarge = s > Self.maxSeconds || (s == Self.maxSeconds && n > 0)
        if tooSmall || tooLarge { return nil }
        self.seconds = s
        self.nanos = Int32(n)
    }

    public static func < (a: CELDuration, b: CELDuration) -> Bool {
        (a.seconds, a.nanos) < (b.seconds, b.nanos)
    }

    /// Seconds truncated toward zero and the matching signed nanosecond remainder.
    var truncated: (seconds: Int64, nanos: Int64) {
        if seconds < 0 && nanos > 0 { return (seconds + 1, Int64(nanos) - 1_000_000_000) }
        return (seconds, Int64(nanos))
    }

    /// Total nanoseconds, nil when it does not fit in Int64.
    var totalNanos: Int64? {
        let (m, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (t, o2) = m.addingReportingOverflow(Int64(nanos))
        return o1 || o2 ? nil : t
    }

    static func + (a: CELDuration, b: CELDuration) -> CELDuration? {
        CELDuration(seconds: a.seconds + b.seconds, nanos: Int64(a.nanos) + Int64(b.nanos))
    }

    static func - (a: CELDuration, b: CELDuration) -> CELDuration? {
        CELDuration(seconds: a.seconds - b.seconds, nanos: Int64(a.nanos) - Int64(b.nanos))
    }

    var negated: CELDuration? { CELDuration(seconds: -seconds, nanos: -Int64(nanos)) }

    /// Parses Go-style durations: `1h30m`, `-1.5s`, `100ms`, `3us`, `10ns`.
    static func parse(_ text: String) -> CELDuration? {
        var s = Substring(text)
        var negative = false
        if s.hasPrefix("-") {
            negative = true
            s = s.dropFirst()
        } else if s.hasPrefix("+") {
            s = s.dropFirst()
        }
        if s == "0" { return CELDuration(seconds: 0) }
        if s.isEmpty { return nil }
        var totalSeconds: Int64 = 0
        var totalNanos: Int64 = 0
        let units: [(String, Int64)] = [
            ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
            ("m", 60_000_000_000), ("h", 3_600_000_000_000),
        ]
        while !s.isEmpty {
            var intPart = Substring("")
            var fracPart = Substring("")
            let numStart = s.startIndex
            var idx = numStart
            while idx < s.endIndex, s[idx].isASCII, s[idx].isNumber { idx = s.index(after: idx) }
            intPart = s[numStart..<idx]
            if idx < s.endIndex, s[idx] == "." {
                idx = s.index(after: idx)
                let fs = idx
                while idx < s.endIndex, s[idx].isASCII, s[idx].isNumber { idx = s.index(after: idx) }
                fracPart = s[fs..<idx]
            }
            if intPart.isEmpty && fracPart.isEmpty { return nil }
            s = s[idx...]
            var unitNanos: Int64 = 0
            for (u, n) in units where s.hasPrefix(u) {
                // Prefer the longest match ("ms" over "m").
                if u == "m" && s.hasPrefix("ms") { continue }
                unitNanos = n
                s = s.dropFirst(u.count)
                break
            }
            if unitNanos == 0 { return nil }
            guard let whole = Int64(intPart.isEmpty ? "0" : String(intPart)) else { return nil }
            // whole * unit, split into seconds and nanos to avoid overflow.
            if unitNanos >= 1_000_000_000 {
                let perSec = unitNanos / 1_000_000_000
                let (m, o) = whole.multipliedReportingOverflow(by: perSec)
                if o { return nil }
                totalSeconds += m
            } else {
                let n = whole.multipliedReportingOverflow(by: unitNanos)
                if n.overflow { return nil }
                totalSeconds += n.partialValue / 1_000_000_000
                totalNanos += n.partialValue % 1_000_000_000
            }
            if !fracPart.isEmpty {
                // fraction * unit nanos
                var scale = Double(unitNanos)
                var frac = 0.0
                for ch in fracPart {
                    scale /= 10
                    frac += Double(ch.wholeNumberValue ?? 0) * scale
                }
                let fn = Int64(frac.rounded())
                totalSeconds += fn / 1_000_000_000
                totalNanos += fn % 1_000_000_000
            }
            if abs(totalSeconds) > maxSeconds * 2 { return nil }
        }
        return negative ? CELDuration(seconds: -totalSeconds, nanos: -totalNanos)
            : CELDuration(seconds: totalSeconds, nanos: totalNanos)
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
