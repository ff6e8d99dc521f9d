/// Cuts a stream of JSON objects written one after another (JSON Lines, `jq -c '.items[]'`,
/// `kubectl get -w -o json`) into one part per object, as kubectl reads such a file. YAML reads
/// only the first of them (one flow mapping is a whole document), so each is parsed on its own.
///
/// An object is cut off only where the next one starts a line: positions then stay those of the
/// file with a line offset alone. Anything else after an object (`}{` on one line, text that is
/// not an object, an object left open) is left in the part before it, where the YAML reader
/// reports it, and the next line starting with `{` starts the next part, so that a broken line
/// hides none of the objects after it.
public enum JSONValueStream {
    /// One part per top-level object, or nil when `bytes` is not a stream of several objects.
    public static func parts(of bytes: [UInt8]) -> [YAMLStreamSplitter.Part]? {
        bytes.withUnsafeBufferPointer { parts(of: $0) }
    }

    private static func parts(of bytes: UnsafeBufferPointer<UInt8>) -> [YAMLStreamSplitter.Part]? {
        guard let first = firstNonSpace(bytes, from: byteOrderMarkLength(bytes)), bytes[first] == openBrace,
              hasLineStartingWithBrace(bytes, after: first) else { return nil }
        var parts: [YAMLStreamSplitter.Part] = []
        var start = 0
        var linesBefore = 0
        var objectStart = first
        while let next = startOfNextObject(bytes, after: objectStart) {
            parts.append(YAMLStreamSplitter.Part(range: start..<next, lineOffset: linesBefore))
            linesBefore += ByteScan.lineFeedCount(UnsafeBufferPointer(rebasing: bytes[start..<next]))
            start = next
            objectStart = next
        }
        guard !parts.isEmpty else { return nil }
        parts.append(YAMLStreamSplitter.Part(range: start..<bytes.count, lineOffset: linesBefore))
        return parts
    }

    /// `parts` in runs of at most `targetSize` bytes (or one part larger than that), to read as
    /// the segments of one part each (see `YAMLLoader.load(_:file:segments:)`).
    public static func runs(of parts: [YAMLStreamSplitter.Part], targetSize: Int) -> [[YAMLStreamSplitter.Part]] {
        var runs: [[YAMLStreamSplitter.Part]] = []
        for part in parts {
            if let start = runs.last?.first?.range.lowerBound, part.range.upperBound - start <= targetSize {
                runs[runs.count - 1].append(part)
            } else {
                runs.append([part])
            }
        }
        return runs
    }

    private static let openBrace = UInt8(ascii: "{")
    private static let lineFeed = UInt8(ascii: "\n")

    /// Where the object after the one opening at `start` begins: the next byte that is not white
    /// space, when it is a `{` starting a line; after anything else, the next line starting with
    /// `{`. Nil at the end, and at a `---` line after such text: YAML documents are left to the
    /// YAML reader, which goes on at the next one after an error.
    private static func startOfNextObject(_ bytes: UnsafeBufferPointer<UInt8>, after start: Int) -> Int? {
        let end = endOfObject(bytes, from: start)
        if let end {
            guard let next = firstNonSpace(bytes, from: end) else { return nil }
            if bytes[next] == openBrace && bytes[next - 1] == lineFeed { return next }
        }
        var search = end ?? start + 1
        while let newline = ByteScan.firstIndex(of: lineFeed, in: bytes, from: search), newline + 1 < bytes.count {
            if YAMLStreamSplitter.isDocumentMarker(bytes, at: newline + 1) { return nil }
            if bytes[newline + 1] == openBrace { return newline + 1 }
            search = newline + 1
        }
        return nil
    }

    /// Whether a line after the first starts with `{`: a cheap test that rules out a single
    /// object (nested ones of a pretty-printed object are indented) before the whole scan.
    private static func hasLineStartingWithBrace(_ bytes: UnsafeBufferPointer<UInt8>, after start: Int) -> Bool {
        var search = start
        while let newline = ByteScan.firstIndex(of: lineFeed, in: bytes, from: search) {
            if newline + 1 < bytes.count, bytes[newline + 1] == openBrace { return true }
            search = newline + 1
        }
        return false
    }

    /// 3 when `bytes` start with UTF-8's byte order mark (as Windows tools write it, and as
    /// `UnicodeText` keeps it of UTF-16 and UTF-32), else 0: it stays in the first part, where
    /// the YAML reader passes over it at the start of the stream.
    private static func byteOrderMarkLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The first byte at or after `start` that is not JSON white space, or nil.
    private static func firstNonSpace(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), lineFeed: index += 1
            default: return index
            }
        }
        return nil
    }

    /// The offset just past the object opening at `start` (its braces and brackets balanced,
    /// those in strings not counted), or nil when it does not end.
    private static func endOfObject(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var depth = 0
        var index = start
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case openBrace, UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }
}
