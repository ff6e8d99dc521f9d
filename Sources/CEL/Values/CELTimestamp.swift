import Foundation

/// A CEL `timestamp` (google.protobuf.Timestamp): seconds since the Unix epoch plus nanos.
public struct CELTimestamp: Hashable, Comparable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64
    /// Nanoseconds, 0 ..< 1_000_000_000.
    public let nanos: Int32

    /// 0001-01-01T00:00:00Z, the earliest timestamp.
    public static let minSeconds: Int64 = -62_135_596_800
    /// 9999-12-31T23:59:59Z, the latest timestamp (to the second).
    public static let maxSeconds: Int64 = 253_402_300_799

    /// Creates a normalized timestamp; nil outside years 0001 ... 9999.
    public init?(seconds: Int64, nanos: Int64 = 0) {
        var s = seconds
        var n = nanos
        let (q, r) = n.quotientAndRemainder(dividingBy: 1_000_000_000)
        s += q
        n = r
        if n < 0 {
            n += 1_000_000_000
            s -= 1
        }
        if s < Self.minSeconds || s > Self.maxSeconds { return nil }
        self.seconds = s
        self.nanos = Int32(n)
    }

    public static func < (a: CELTimestamp, b: CELTimestamp) -> Bool {
        (a.seconds, a.nanos) < (b.seconds, b.nanos)
    }

    static func + (t: CELTimestamp, d: CELDuration) -> CELTimestamp? {
        CELTimestamp(seconds: t.seconds + d.seconds, nanos: Int64(t.nanos) + Int64(d.nanos))
    }

    static func - (a: CELTimestamp, b: CELTimestamp) -> CELDuration? {
        // Like cel-go, the difference must fit in int64 nanoseconds (as every duration does).
        CELDuration(seconds: a.seconds - b.seconds, nanos: Int64(a.nanos) - Int64(b.nanos))
    }

    // MARK: Civil calendar (proleptic Gregorian)

    /// Days since 1970-01-01 for a civil date.
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Civil date for days since 1970-01-01.
    static func civilFromDays(_ z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Parses RFC 3339: `2009-02-13T23:31:30.123Z`, `2009-02-13T23:31:30+01:00`.
    /// Days of `month` (1 to 12) in the proleptic Gregorian `year`.
    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func parse(_ text: String) -> CELTimestamp? {
        let c = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int64? {
            guard from + len <= c.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + len) {
                guard c[i] >= 48 && c[i] <= 57 else { return nil }
                v = v * 10 + Int64(c[i] - 48)
            }
            return v
        }
        // As Go's `time.Parse(time.RFC3339, ...)`, which cel-go calls: an upper-case `T` and `Z`,
        // a day that the month has, and no leap second (a date that does not exist is an error,
        // not the next day).
        guard c.count >= 20, let y = num(0, 4), c[4] == 45, let mo = num(5, 2), c[7] == 45, let d = num(8, 2),
            c[10] == 84, let h = num(11, 2), c[13] == 58, let mi = num(14, 2), c[16] == 58,
            let s = num(17, 2)
        else { return nil }
        guard (1...12).contains(mo), d >= 1, d <= daysIn(month: mo, year: y), h < 24, mi < 60, s < 60 else { return nil }
        var i = 19
        var nanos: Int64 = 0
        if i < c.count, c[i] == 46 {
            i += 1
            var digits = 0
            while i < c.count, c[i] >= 48 && c[i] <= 57 {
                if digits < 9 {
                    nanos = nanos * 10 + Int64(c[i] - 48)
                }
                digits += 1
                i += 1
            }
            if digits == 0 { return nil }
            // Go keeps the first nine digits of a longer fraction.
            for _ in min(digits, 9)..<9 { nanos *= 10 }
        }
        guard i < c.count else { return nil }
        var offset: Int64 = 0
        if c[i] == 90 {
            i += 1
        } else if c[i] == 43 || c[i] == 45 {
            let sign: Int64 = c[i] == 45 ? -1 : 1
            guard let oh = num(i + 1, 2), i + 3 < c.count, c[i + 3] == 58, let om = num(i + 4, 2) else { return nil }
            offset = sign * (oh * 3600 + om * 60)
            i += 6
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        let days = daysFromCivil(y, mo, d)
        let secs = days * 86400 + h * 3600 + mi * 60 + s - offset
        return CELTimestamp(seconds: secs, nanos: nanos)
    }

    /// RFC 3339 in UTC with trailing fraction zeros removed (`2009-02-13T23:31:30Z`,
    /// `2009-02-13T23:31:30.12Z`), as CEL's `string(timestamp)` writes it.
    public var formatted: String {
        let days = Int64((Double(seconds) / 86400).rounded(.down))
        let secOfDay = seconds - days * 86400
        let (y, m, d) = Self.civilFromDays(days)
        func p(_ v: Int64, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var out = "\(p(y, 4))-\(p(m, 2))-\(p(d, 2))T\(p(secOfDay / 3600, 2)):\(p(secOfDay / 60 % 60, 2)):\(p(secOfDay % 60, 2))"
        if nanos != 0 {
            var frac = p(Int64(nanos), 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            out += "." + frac
        }
        return out + "Z"
    }

    /// Broken-down local time for a timezone (IANA name or `[+-]HH:MM`); nil for an unknown zone.
    func components(in zone: String?) -> (year: Int64, month: Int64, day: Int64, dayOfWeek: Int64, dayOfYear: Int64,
                                          hour: Int64, minute: Int64, second: Int64)?
    {
        var offset: Int64 = 0
        if let zone, !zone.isEmpty {
            guard let o = Self.offset(of: zone, at: seconds) else { return nil }
            offset = o
        }
        let local = seconds + offset
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let sod = local - days * 86400
        let (y, m, d) = Self.civilFromDays(days)
        let dow = ((days % 7) + 7 + 4) % 7  // 1970-01-01 was a Thursday (4)
        let doy = days - Self.daysFromCivil(y, 1, 1)
        return (y, m, d, dow, doy, sod / 3600, sod / 60 % 60, sod % 60)
    }

    static func offset(of zone: String, at seconds: Int64) -> Int64? {
        let u = Array(zone.utf8)
        // Fixed offsets: "+11:00", "-02:30", "02:00".
        var i = 0
        var sign: Int64 = 1
        if let f = u.first, f == 43 || f == 45 {
            sign = f == 45 ? -1 : 1
            i = 1
        }
        if u.count - i == 5, u[i + 2] == 58,
            let h = Int64(String(decoding: u[i..<(i + 2)], as: UTF8.self)),
            let m = Int64(String(decoding: u[(i + 3)..<(i + 5)], as: UTF8.self))
        {
            return sign * (h * 3600 + m * 60)
        }
        if zone == "UTC" || zone == "Z" { return 0 }
        guard let tz = TimeZone(identifier: zone) else { return nil }
        return Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }
}
