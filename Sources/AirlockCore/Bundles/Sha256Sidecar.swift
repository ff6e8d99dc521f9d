/// A `.sha256` file as `sha256sum` writes it: `<64 hex>  <name>` (text mode) or `<64 hex> *<name>`
/// (binary mode), one per line; the BSD form `SHA256 (<name>) = <hex>` is read too.
public struct Sha256Sidecar: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        /// Lowercase hex.
        public var digest: String
        public var name: String
        public var isBinaryMode: Bool
        /// 1-based line in the sidecar.
        public var line: Int
    }

    /// The result of comparing a tarball with its sidecar: the facts `bundle.sidecar` exposes.
    public struct Check: Sendable, Hashable {
        public var sidecarFile: String
        public var expected: String?
        public var actual: String?
        /// The name written in the sidecar line used.
        public var nameInSidecar: String?
        /// Whether that name is exactly the tarball's file name (no folder), as `sha256sum -c`
        /// beside the tarball needs it.
        public var nameMatches: Bool
        /// Why the sidecar does not vouch for this tarball although a digest may match: it names
        /// another file or a path, or its lines for the tarball disagree; `nil` when none.
        public var problem: String?
        /// `expected == actual`, both present, and no `problem`.
        public var match: Bool
    }

    public var file: String
    public var lines: [Line]

    /// Parses sidecar text; every malformed non-blank line is an error with its position.
    public static func parse(_ text: String, file: String) -> (sidecar: Sha256Sidecar, errors: [Diagnostic]) {
        var lines: [Line] = []
        var errors: [Diagnostic] = []
        // "\r\n" is one Character in Swift, so split on both forms.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            if let parsed = parseLine(line, number: index + 1) {
                lines.append(parsed)
            } else {
                errors.append(Diagnostic(
                    kind: .input, message: "not a sha256sum line: expected \"<64 hex digits>  <file name>\"",
                    location: SourceSpan(file: file, line: index + 1, column: 1)))
            }
        }
        if lines.isEmpty && errors.isEmpty {
            errors.append(Diagnostic(kind: .input, message: "empty sha256 sidecar", location: SourceSpan(file: file, line: 1, column: 1)))
        }
        return (Sha256Sidecar(file: file, lines: lines), errors)
    }

    private static func parseLine(_ line: Substring, number: Int) -> Line? {
        if line.hasPrefix("SHA256 ("), let close = line.range(of: ") = ") {
            let name = line[line.index(line.startIndex, offsetBy: 8)..<close.lowerBound]
            let digest = line[close.upperBound...]
            guard Hex.isHex(digest, length: 64), !name.isEmpty else { return nil }
            return Line(digest: digest.lowercased(), name: String(name), isBinaryMode: true, line: number)
        }
        var body = line
        let escaped = body.hasPrefix("\\")
        if escaped { body = body.dropFirst() }
        guard body.count > 66 else { return nil }
        let digest = body.prefix(64)
        let separator = body.dropFirst(64).prefix(2)
        guard Hex.isHex(digest, length: 64), separator == "  " || separator == " *" else { return nil }
        var name = String(body.dropFirst(66))
        if escaped { name = unescape(name) }
        return Line(digest: digest.lowercased(), name: name, isBinaryMode: separator == " *", line: number)
    }

    /// GNU sha256sum escapes `\` and newline in names when the line starts with `\`.
    private static func unescape(_ name: String) -> String {
        var out = ""
        var iterator = name.makeIterator()
        while let character = iterator.next() {
            guard character == "\\", let next = iterator.next() else {
                out.append(character)
                continue
            }
            out.append(next == "n" ? "\n" : next)
        }
        return out
    }

    /// The line for `fileName`: the one naming it exactly, else one naming a file of the same
    /// base name in some folder, else the only line (the caller sees `nameMatches == false`).
    public func line(for fileName: String) -> Line? {
        let wanted = Self.baseName(fileName)
        return lines.first { $0.name == wanted } ?? lines.first { Self.baseName($0.name) == wanted } ?? (lines.count == 1 ? lines.first : nil)
    }

    /// Compares the sidecar's digest for `fileName` with `actual` (lowercase hex). `sha256sum -c`
    /// run beside the tarball checks the file each line names: a line naming another file, or a
    /// path (`dir/NAME`, `./NAME`), checks something else (besides the tarball's own line too),
    /// and two lines for the tarball with different digests fail; each is a `problem`, and then no
    /// `match`.
    public func check(fileName: String, actual: String?) -> Check {
        let wanted = String(Self.baseName(fileName))
        let line = line(for: fileName)
        let expected = line?.digest
        var problem: String?
        if let line, line.name != wanted {
            problem = line.name.contains("/")
                ? "the sidecar names the path \(line.name) (line \(line.line)), not the file \(wanted) beside it: sha256sum -c checks that path"
                : "the sidecar names \(line.name) (line \(line.line)), not \(wanted): sha256sum -c checks that file"
        } else if let other = lines.first(where: { $0.name != wanted }) {
            problem = "the sidecar also names \(other.name) (line \(other.line)): sha256sum -c checks that file too, which is not the bundle"
        }
        let named = lines.filter { $0.name == wanted }
        if Set(named.map(\.digest)).count > 1 {
            problem = "the sidecar has \(named.count) lines for \(wanted) with different digests (lines \(named.map { String($0.line) }.joined(separator: ", "))): sha256sum -c fails"
        }
        return Check(
            sidecarFile: file, expected: expected, actual: actual, nameInSidecar: line?.name,
            nameMatches: line?.name == wanted, problem: problem,
            match: problem == nil && expected != nil && expected == actual)
    }

    /// Hashes `tarball` at disk speed and compares it with the sidecar at `sidecarPath`.
    public static func verify(tarball: String, sidecarPath: String) -> (check: Check?, errors: [Diagnostic]) {
        let text: String
        do {
            let listing = try FileDigest.readSmallFile(sidecarPath, limit: 1 << 20)
            text = String(decoding: listing, as: UTF8.self)
        } catch {
            return (nil, [Diagnostic(kind: .input, message: "cannot read sha256 sidecar: \(error)", location: SourceSpan(file: sidecarPath, line: 1, column: 1))])
        }
        let (sidecar, errors) = parse(text, file: sidecarPath)
        do {
            let actual = try FileDigest.sha256(ofFileAt: tarball)
            return (sidecar.check(fileName: tarball, actual: actual), errors)
        } catch let error as ArchiveReadError {
            return (sidecar.check(fileName: tarball, actual: nil), errors + [error.diagnostic])
        } catch {
            let diagnostic = Diagnostic(kind: .input, message: "cannot hash: \(error)", location: SourceSpan(file: tarball, line: 1, column: 1))
            return (sidecar.check(fileName: tarball, actual: nil), errors + [diagnostic])
        }
    }

    static func baseName(_ path: String) -> Substring {
        path.split(separator: "/").last ?? Substring(path)
    }
}
