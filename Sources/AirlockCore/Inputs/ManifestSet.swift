import Crypto
import Dispatch
import YAMLSource

/// Everything read from the manifest inputs of a run: the inventory, the problems found, and the
/// files read with their digests. Files are read and parsed in parallel; results keep input order.
public struct ManifestSet: Sendable {
    public var inventory: Inventory
    public var diagnostics: [Diagnostic]
    public var artifacts: [CheckResult.Artifact]
    /// The files read without error that hold no document but empty ones (an empty file, or one
    /// of comments and `---` lines), as a `helm template` that failed may leave: see `emptyFileNote`.
    public var emptyFiles: [String] = []

    /// Bytes per part when a large stream is cut at document boundaries to parse in parallel, and
    /// at most per run of JSON objects read into one storage.
    public static let partSize = 1 << 20

    /// Reads `sources`; `allowEmpty` accepts inputs that hold no resource at all. Files are read,
    /// hashed and parsed in parallel, and each file is cut into parts at document boundaries that
    /// are parsed in parallel too, so one large cluster export uses every core. A file's bytes are
    /// dropped once it is parsed: only the files in flight are held, not every input at once.
    public static func load(
        _ sources: [InputDiscovery.Source], limits: YAMLLimits, decoder: ManifestDecoder, allowEmpty: Bool
    ) -> ManifestSet {
        let files = ResultSlots<Result<FileOutcome, Diagnostic>>(count: sources.count)
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            files[index] = InputReader.read(sources[index], limit: limits.maxInputBytes).flatMap(ArchiveMagic.refusingArchives).map { input in
                FileOutcome(artifact: CheckResult.Artifact(path: input.name, sha256: FileDigest.sha256(of: input.bytes)),
                            content: parse(input.bytes, file: input.name, limits: limits, decoder: decoder))
            }
        }
        var diagnostics: [Diagnostic] = []
        var artifacts: [CheckResult.Artifact] = []
        var resources: [Resource] = []
        var emptyFiles: [String] = []
        resources.reserveCapacity(files.values.reduce(0) { total, file in
            total + ((try? file.get().content.resources.count) ?? 0)
        })
        for index in sources.indices {
            switch files[index] {
            case .failure(let error)?: diagnostics.append(error)
            case .success(let file)?:
                artifacts.append(file.artifact)
                if file.content.isEmpty { emptyFiles.append(sources[index].name) }
                resources += file.content.resources
                diagnostics += file.content.diagnostics.all
            case nil: break
            }
            files[index] = nil
        }
        let (inventory, redefinitions) = CrossDocumentChecks.inventory(of: resources)
        diagnostics += redefinitions
        // Inputs that could not be read are errors already: saying that they hold no resource
        // (a document over the size limit, the only one of an export) would mislead.
        if inventory.count == 0, !allowEmpty, diagnostics.isEmpty {
            diagnostics.append(Diagnostic(
                kind: .input,
                message: "the inputs hold no Kubernetes resource (did `helm template` fail upstream?); pass --allow-empty if that is expected",
                location: nil))
        }
        return ManifestSet(inventory: inventory, diagnostics: diagnostics, artifacts: artifacts, emptyFiles: emptyFiles)
    }

    /// What the user is told of a file that holds no document: kubectl accepts it, so it is no
    /// error, but it is more often a render that failed than a file meant to hold nothing.
    public static func emptyFileNote(_ file: String) -> String {
        "\(file) holds no document (it is empty, or holds only comments or ---): nothing in it was checked; did `helm template` fail upstream?"
    }

    /// One file read and parsed.
    private struct FileOutcome: Sendable {
        var artifact: CheckResult.Artifact
        /// Its parts joined.
        var content: PartOutcome
    }

    /// Parses the parts of one file's stream in parallel (once in UTF-8, see `UnicodeText`), and
    /// joins their outcomes in document order. A stream of JSON objects is read an object at a
    /// time, as segments of parts of about `partSize` bytes that each keep their nodes in one
    /// storage (see `YAMLLoader.load(_:file:segments:)`).
    private static func parse(_ file: [UInt8], file name: String, limits: YAMLLimits, decoder: ManifestDecoder) -> PartOutcome {
        let bytes: [UInt8]
        switch UnicodeText.utf8(file, file: name) {
        case .success(let text): bytes = text
        case .failure(let error): return PartOutcome(diagnostics: LimitedDiagnostics([Diagnostic(yamlError: error)]))
        }
        let file = name
        let parts = JSONValueStream.parts(of: bytes).map { JSONValueStream.runs(of: $0, targetSize: partSize) }
            ?? YAMLStreamSplitter.parts(of: bytes, targetSize: partSize).map { [$0] }
        let parsed = ResultSlots<PartOutcome>(count: parts.count)
        DispatchQueue.concurrentPerform(iterations: parts.count) { index in
            let loader = YAMLLoader(limits: limits, keepsDocumentsWithDuplicateKeys: true)
            parsed[index] = joined(loader.load(bytes[...], file: file, segments: parts[index]).map { outcome(of: $0, decoder: decoder) })
        }
        return joined(parsed.values)
    }

    /// The outcomes of a file's parts (or a part's segments) as one, documents counted from the
    /// first's start. Joined as soon as the file is parsed: holding each JSON Lines object's
    /// outcome (about 300 bytes, and an array of its resources) for every file until all were
    /// read took about half a kilobyte per object.
    private static func joined(_ parts: [PartOutcome]) -> PartOutcome {
        if parts.count == 1 { return parts[0] }
        var file = PartOutcome()
        file.resources.reserveCapacity(parts.reduce(0) { $0 + $1.resources.count })
        for part in parts {
            for var resource in part.resources {
                resource.documentIndex += file.documentCount
                file.resources.append(resource)
            }
            file.diagnostics.append(part.diagnostics)
            file.documentCount += part.documentCount
            file.contentDocumentCount += part.contentDocumentCount
        }
        return file
    }

    private struct PartOutcome: Sendable {
        var resources: [Resource] = []
        var diagnostics = LimitedDiagnostics()
        var documentCount = 0
        /// Documents that are not empty (null), read or not.
        var contentDocumentCount = 0

        /// Whether the part (or file) holds no document but empty ones, and read without error.
        var isEmpty: Bool { contentDocumentCount == 0 && diagnostics.listed.isEmpty }
    }

    private static func outcome(of loaded: YAMLLoader.Result, decoder: ManifestDecoder) -> PartOutcome {
        var outcome = PartOutcome(diagnostics: LimitedDiagnostics(loaded.errors.map(Diagnostic.init(yamlError:))), documentCount: loaded.documentCount)
        for document in loaded.documents {
            if !document.root.isNull { outcome.contentDocumentCount += 1 }
            let decoded = decoder.resources(in: document)
            outcome.resources.append(contentsOf: decoded.resources)
            outcome.diagnostics.append(decoded.errors)
        }
        return outcome
    }
}

extension Diagnostic {
    /// An input diagnostic from a YAML error.
    public init(yamlError: YAMLError) {
        self.init(kind: .input, message: yamlError.message, location: SourceSpan(file: yamlError.file, line: yamlError.line, column: yamlError.column))
    }
}
