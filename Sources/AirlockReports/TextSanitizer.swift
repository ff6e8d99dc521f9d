/// Makes untrusted text (messages, names from manifests) safe for each output medium by
/// replacing characters the medium forbids or would interpret with a visible `\u{XXXX}` escape.
enum TextSanitizer {
    /// For XML 1.0: escapes the characters XML forbids (C0 controls other than tab, LF and CR,
    /// and U+FFFE/U+FFFF). Lone surrogates cannot occur in a Swift string.
    static func xml(_ text: String) -> String {
        // Most text has no byte below 0x20 other than whitespace and no 0xEF (the lead byte of
        // U+FFFE and U+FFFF), so it cannot hold a forbidden character: found without decoding.
        var text = text
        let mayBeForbidden = text.withUTF8 { bytes in
            bytes.contains { $0 == 0xEF || ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) }
        }
        guard mayBeForbidden else { return text }
        return escape(text) { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: return false
            case 0x00...0x1F, 0xFFFE, 0xFFFF: return true
            default: return false
            }
        }
    }

    /// For one terminal line: escapes every control character except tab (C0 including LF and
    /// ESC, DEL and C1), so a message can neither break the line layout nor inject ANSI sequences.
    static func terminal(_ text: String) -> String {
        escape(text) { scalar in
            switch scalar.value {
            case 0x09: return false
            case 0x00...0x1F, 0x7F...0x9F, 0xFFFE, 0xFFFF: return true
            default: return false
            }
        }
    }

    /// The visible form used for a replaced character: `\u{1}`.
    static func visibleEscape(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    private static func escape(_ text: String, when forbidden: (Unicode.Scalar) -> Bool) -> String {
        guard text.unicodeScalars.contains(where: forbidden) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if forbidden(scalar) {
                output.append(contentsOf: visibleEscape(scalar).unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }
}
