/// Whether a markdown file of a package starts the way package docs should: a `# ` title, then
/// a paragraph describing it.
public struct MarkdownFacts: Sendable, Hashable {
    /// Package-relative path.
    public var path: String
    /// The top folder it is in: `agents`, `workflows`, `patterns` or `docs`.
    public var section: String
    public var hasTitle: Bool
    public var title: String?
    /// 1-based line of the title.
    public var titleLine: Int?
    public var hasDescription: Bool
    /// The first line of the description paragraph.
    public var description: String?
    /// 1-based line of the description.
    public var descriptionLine: Int?

    /// Folders whose markdown files are checked.
    public static let sections = ["agents", "workflows", "patterns", "docs"]

    /// Reads the start of a markdown file. A YAML front matter block and blank lines before the
    /// title are skipped; ATX (`# Title`) and setext (`Title` / `===`) level-1 headings count.
    /// The description is the first line after the title, past blank lines, that is plain text:
    /// not a heading, fence, rule, list item, table row, quote or HTML.
    public static func inspect(path: String, section: String, content: [UInt8]) -> MarkdownFacts {
        var facts = MarkdownFacts(path: path, section: section, hasTitle: false, hasDescription: false)
        var text = String(decoding: content, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // "\r\n" is one Character in Swift, so split on both forms.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        var index = 0
        if lines.first == "---" {
            index = 1
            while index < lines.count && lines[index] != "---" && lines[index] != "..." { index += 1 }
            index += 1
        }
        while index < lines.count && isBlank(lines[index]) { index += 1 }
        guard index < lines.count else { return facts }
        let first = lines[index]
        facts.titleLine = index + 1
        if first.hasPrefix("# ") || first == "#" {
            facts.title = first.dropFirst(1).trimmed(of: " \t#")
        } else if index + 1 < lines.count, !isBlank(first), isSetextRule(lines[index + 1]) {
            facts.title = first.trimmed(of: " \t")
            index += 1
        } else {
            facts.titleLine = nil
            return facts
        }
        facts.hasTitle = !(facts.title ?? "").isEmpty
        index += 1
        while index < lines.count && isBlank(lines[index]) { index += 1 }
        guard index < lines.count, isParagraph(lines[index]) else { return facts }
        facts.hasDescription = true
        facts.description = String(lines[index].trimmed(of: " \t").prefix(200))
        facts.descriptionLine = index + 1
        return facts
    }

    private static func isBlank(_ line: Substring) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" }
    }

    private static func isSetextRule(_ line: Substring) -> Bool {
        let trimmed = line.trimmed(of: " \t")
        return !trimmed.isEmpty && trimmed.allSatisfy { $0 == "=" }
    }

    private static func isParagraph(_ line: Substring) -> Bool {
        let trimmed = Substring(line.trimmed(of: " \t"))
        if trimmed.isEmpty { return false }
        for marker in ["#", "```", "~~~", "---", "***", "___", "|", ">", "<", "- ", "* ", "+ ", "!["] where trimmed.hasPrefix(marker) {
            return false
        }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, trimmed.dropFirst(digits.count).hasPrefix(". ") || trimmed.dropFirst(digits.count).hasPrefix(") ") {
            return false
        }
        return true
    }
}

extension Substring {
    /// The substring without leading and trailing characters in `set`.
    func trimmed(of set: String) -> String {
        let kept = drop { set.contains($0) }
        var end = kept.endIndex
        while end > kept.startIndex, set.contains(kept[kept.index(before: end)]) { end = kept.index(before: end) }
        return String(kept[kept.startIndex..<end])
    }
}
