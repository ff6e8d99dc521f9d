import AirlockCore

/// How a SARIF run names places in files: URIs relative to `%SRCROOT%`, or absolute `file` URIs,
/// made of the path's bytes percent-encoded (RFC 3986), so that they resolve to the files read.
struct SARIFFileLocations {
    static let sourceRoot = "%SRCROOT%"

    /// The names of files whose paths are not UTF-8 (`CheckResult.namesEscapingBytes`): their
    /// URIs are made of the bytes the names escape (`caf\xE9.yaml` is `caf%E9.yaml`), not of the
    /// escaped text.
    let namesEscapingBytes: Set<String>

    /// Where `span` is in its file; nil for standard input, which is no file of the checkout
    /// (the result keeps its logical location).
    func physical(_ span: SourceSpan) -> SARIF.PhysicalLocation? {
        guard !SARIFReporter.isStandardInput(span.file) else { return nil }
        let startLine = max(1, span.line)
        var region = SARIF.Region(startLine: startLine, startColumn: max(1, span.column))
        if let endColumn = span.endColumn {
            region.endLine = max(startLine, span.endLine ?? startLine)
            region.endColumn = max(1, endColumn)
        } else if let endLine = span.endLine {
            region.endLine = max(startLine, endLine)
        }
        return SARIF.PhysicalLocation(artifactLocation: artifactLocation(span.file), region: region)
    }

    /// A file relative to the root is relative to `%SRCROOT%`; an absolute path (a file outside the
    /// root, named by one) is an absolute `file` URI, which needs no base.
    func artifactLocation(_ path: String) -> SARIF.ArtifactLocation {
        path.hasPrefix("/") ? .init(uri: "file://" + uri(path)) : .init(uri: uri(path), uriBaseId: Self.sourceRoot)
    }

    /// A path as a URI reference: percent-encodes what a URI may not contain, keeps `/`. Most
    /// paths need no escape and are returned as they are.
    /// The path of a member inside an archive (after a `!`, which is encoded) that holds a `.` or
    /// `..` segment, as a hostile entry name may, has its `/` encoded too: `%2F` is no separator
    /// to URI resolution or normalization (RFC 3986 §2.2, §6.2.2), so
    /// `b.tar.gz%21X%2F..%2Fevil.yaml` cannot resolve to the checkout's `evil.yaml`, as
    /// `b.tar.gz%21X/../evil.yaml` does. (`%2E` would not do: §6.2.2.2 decodes it back to a dot.)
    func uri(_ path: String) -> String {
        guard path.utf8.contains(where: { !Self.keptInURI($0) }) else { return path }
        let escapesBytes = namesEscapingBytes.contains(path)
        var output: [UInt8] = []
        output.reserveCapacity(path.utf8.count * 3)
        // An escape (`\xE9`) holds no `!`: splitting the name splits its bytes alike.
        for (index, part) in path.split(separator: "!", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { Self.appendEncoded(UInt8(ascii: "!"), to: &output) }
            let keepsSlashes = index == 0 || !ArchiveMemberPath.holdsDotSegment(part)
            for byte in escapesBytes ? InputDiscovery.unescapedName(String(part)) : Array(part.utf8) {
                if Self.keptInURI(byte), keepsSlashes || byte != UInt8(ascii: "/") {
                    output.append(byte)
                } else {
                    Self.appendEncoded(byte, to: &output)
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func appendEncoded(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "%"))
        output.append(upperHexDigits[Int(byte >> 4)])
        output.append(upperHexDigits[Int(byte & 0xF)])
    }

    private static func keptInURI(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "@"),
             UInt8(ascii: "+"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)
}
