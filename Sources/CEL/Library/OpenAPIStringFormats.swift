/// The OpenAPI string formats of the format library that Kubernetes checks with kube-openapi's
/// `strfmt` (`uuid`, `byte`, `date`, `datetime`), checked as it checks them, byte by byte.
enum OpenAPIStringFormats {
    /// 32 hex digits in groups of 8-4-4-4-12, each `-` between groups optional, either case.
    static func isUUID(_ text: String) -> Bool {
        var digits = 0
        var rest = text.utf8[...]
        for groupEnd in [8, 12, 16, 20] {
            while digits < groupEnd, let byte = rest.popFirst(), isHexDigit(byte) { digits += 1 }
            guard digits == groupEnd else { return false }
            if rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
        }
        return rest.count == 12 && rest.allSatisfy(isHexDigit)
    }

    /// Standard base64 with padding (govalidator's `IsBase64`): a positive multiple of 4 bytes of
    /// `A-Za-z0-9+/`, the last one or two of which may be `=`.
    static func isBase64(_ text: String) -> Bool {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count % 4 == 0 else { return false }
        let body = bytes.dropLast(bytes.reversed().prefix(2).prefix { $0 == UInt8(ascii: "=") }.count)
        return body.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || isDecimalDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
        }
    }

    /// An RFC 3339 full date as Go's `time.Parse("2006-01-02", text)` reads it: `YYYY-MM-DD`, a
    /// month from 01 to 12 and a day that month has (29 February only in a leap year).
    static func isDate(_ bytes: Substring.UTF8View) -> Bool {
        let text = Array(bytes)
        guard text.count == 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
              let year = number(text[0..<4]), let month = number(text[5..<7]), let day = number(text[8..<10]),
              (1...12).contains(month) else { return false }
        return (1...CELTimestamp.daysIn(month: Int64(month), year: Int64(year))).contains(Int64(day))
    }

    /// A date-time as kube-openapi's `IsDateTime` reads it: the text in lower case split at every
    /// `t`; the first part a date (``isDate(_:)``), the second `HH:MM:SS`, optionally any one
    /// character and digits (a fraction), then `z` or `+HH:MM` / `-HH:MM`, with hours at most 23
    /// and minutes and seconds at most 59 (the offset's are not checked). What follows a second
    /// `t` is ignored, as there.
    static func isDateTime(_ text: String) -> Bool {
        guard text.utf8.count >= 4 else { return false }
        let parts = text.lowercased().utf8.split(separator: UInt8(ascii: "t"), omittingEmptySubsequences: false)
        guard parts.count >= 2, isDate(parts[0]) else { return false }
        return isTimeOfDay(Array(parts[1]))
    }

    /// `^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$` with the limits above;
    /// `.` is any one character but a line feed.
    private static func isTimeOfDay(_ text: [UInt8]) -> Bool {
        guard text.count >= 9, text[2] == UInt8(ascii: ":"), text[5] == UInt8(ascii: ":"),
              let hour = number(text[0..<2]), let minute = number(text[3..<5]), let second = number(text[6..<8]),
              hour <= 23, minute <= 59, second <= 59 else { return false }
        var rest = text[8...]
        if !isZone(rest) {
            // A fraction: one character (a whole UTF-8 sequence), then digits, then the zone.
            guard let first = rest.first, first != UInt8(ascii: "\n") else { return false }
            rest = rest.dropFirst(first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2)
            let digits = rest.prefix(while: isDecimalDigit)
            guard !digits.isEmpty else { return false }
            rest = rest.dropFirst(digits.count)
            guard isZone(rest) else { return false }
        }
        return true
    }

    /// `z`, or `+HH:MM` / `-HH:MM` with any two digits each.
    private static func isZone(_ text: ArraySlice<UInt8>) -> Bool {
        if text.elementsEqual([UInt8(ascii: "z")]) { return true }
        let zone = Array(text)
        return zone.count == 6 && (zone[0] == UInt8(ascii: "+") || zone[0] == UInt8(ascii: "-")) && zone[3] == UInt8(ascii: ":")
            && number(zone[1..<3]) != nil && number(zone[4..<6]) != nil
    }

    /// The value of decimal digits, nil when a byte is not one.
    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        digits.reduce(0 as Int?) { value, byte in
            guard let value, isDecimalDigit(byte) else { return nil }
            return value * 10 + Int(byte - UInt8(ascii: "0"))
        }
    }

    private static func isDecimalDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDecimalDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }
}
