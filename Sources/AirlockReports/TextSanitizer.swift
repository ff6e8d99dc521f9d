/// Makes untrusted text (messages, names from manifests) safe for each output medium by
/// replacing characters the medium forbids or would interpret with a visible `\u{XXXX}` escape.
public enum TextSanitizer {
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

    /// For one terminal line: escapes every `isDisplayControl` character, and LF and CR, so a
    /// message can neither break the line layout, inject ANSI sequences nor reorder what is shown.
    public static func terminal(_ text: String) -> String {
        logCommandsDefused(escape(text) { scalar in scalar == "\n" || scalar == "\r" || isDisplayControl(scalar) })
    }

    /// For a GitHub workflow command's message or property: escapes every `isDisplayControl`
    /// character; LF and CR are left to the command's own escaping (`%0A`, `%0D`), which the
    /// runner turns back into line breaks of the annotation. A line that is a workflow command
    /// is read as that command alone, so a `##[` in it needs no escape (see `logCommandsDefused`).
    static func annotation(_ text: String) -> String {
        escape(text, when: isDisplayControl)
    }

    /// CI runners read commands out of a step's output: GitHub Actions `##[command]` and Azure
    /// Pipelines `##vso[command]` anywhere in a line (`##vso[task.setvariable …]` sets a pipeline
    /// variable, `##[set-output …]` a step output), and GitHub's `::command::` at the start of one.
    /// A manifest's text shown in a CI log must not be run as such a command: the `[` that opens
    /// one is written `\u{5B}`, and a leading `:` of `::` `\u{3A}`.
    static func logCommandsDefused(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "#")) || text.utf8.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: ":") else { return text }
        var output = String.UnicodeScalarView()
        var leading = true
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if leading && scalar == ":" && index + 1 < scalars.count && scalars[index + 1] == ":" {
                output.append(contentsOf: visibleEscape(scalar).unicodeScalars)
            } else if scalar == "[" && opensLogCommand(output) {
                output.append(contentsOf: visibleEscape(scalar).unicodeScalars)
            } else {
                output.append(scalar)
            }
            if scalar != " " && scalar != "\t" { leading = false }
        }
        return String(output)
    }

    /// Whether a `[` written after `shown` would open a runner command (`##[`, `##vso[`).
    static func opensLogCommand<Shown: BidirectionalCollection<Unicode.Scalar>>(_ shown: Shown) -> Bool {
        let backwards = shown.reversed()
        return backwards.starts(with: ["#", "#"]) || backwards.starts(with: ["o", "s", "v", "#", "#"])
    }

    /// Characters that change how the text around them is shown rather than being shown: C0
    /// controls other than tab, LF and CR (ESC among them), DEL, C1 controls (NEL among them), the
    /// bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069:
    /// "Trojan Source" reordering), the line and paragraph separators U+2028 and U+2029, the
    /// characters that are never shown (soft hyphen U+00AD, zero-width space U+200B, word joiner and
    /// invisible operators U+2060 to U+2064, U+FEFF), which make `edge` and `edge\u{200B}` look
    /// alike, and the noncharacters U+FFFE and U+FFFF. The joiners U+200C and U+200D are kept:
    /// scripts and emoji need them. The one rule of the terminal and annotation formats.
    static func isDisplayControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: return true
        case 0x00AD, 0x200B, 0x2060...0x2064, 0xFEFF: return true
        case 0xFFFE, 0xFFFF: return true
        default: return false
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
