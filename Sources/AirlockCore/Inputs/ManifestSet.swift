import Crypto
import Dispatch
import YAMLSource

/// Everything read from the manifest inputs of a run: the inventory, the problems found, and the
/// files read with their digests. Files are read and parsed in parallel; results keep input order.
public struct ManifestSet: Sendable {
    public var inventory: Inventory
    public var diagnostics: [Diagnostic]
    public var artifacts: [CheckResult.Artifact]

    /// Bytes per part when a large stream is cut at document boundaries to parse in parallel.
    public static let partSize = 1 << 20

    /// Reads `sources`; `allowEmpty` accepts inputs that hold no resource at all. Files are read
    /// in parallel, then every file is cut into parts at document boundaries and all parts are
    /// parsed in parallel, so one large cluster export uses every core too.
    public static func load(
        _ sources: [InputDiscovery.Source], limits: YAMLLimits, decoder: ManifestDecoder, allowEmpty: Bool
    ) -> ManifestSet {
        let reads = ResultSlots<Result<(name: String, bytes: [UInt8]), Diagnostic>>(count: sources.count)
        let digests = ResultSlots<String>(count: sources.count)
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            let read = InputReader.read(sources[index])
            if case .success(let input) = read { digests[index] = input.bytes.sha256Hex }
            reads[index] = read
        }
        var diagnostics: [Diagnostic] = []
        var artifacts: [CheckResult.Artifact] = []
        var inputs: [(name: String, bytes: [UInt8])] = []
        for index in sources.indices {
            switch reads[index] {
            case .failure(let error)?: diagnostics.append(error)
            case .success(let input)?:
                inputs.append(input)
                artifacts.append(CheckResult.Artifact(path: input.name, sha256: digests[index] ?? ""))
            case nil: break
            }
        }
        let files = inputs
        let units = files.indices.flatMap { file in
            YAMLStreamSplitter.parts(of: files[file].bytes, targetSize: partSize).map { (file: file, part: $0) }
        }
        let parsed = ResultSlots<PartOutcome>(count: units.count)
        DispatchQueue.concurrentPerform(iterations: units.count) { index in
            let unit = units[index]
            let input = files[unit.file]
            parsed[index] = parse(input.bytes[unit.part.range], file: input.name, lineOffset: unit.part.lineOffset, limits: limits, decoder: decoder)
        }
        var inventory = Inventory()
        var documentsBefore = 0
        for index in units.indices {
            if index > 0, units[index - 1].file != units[index].file { documentsBefore = 0 }
            guard let outcome = parsed[index] else { continue }
            for var resource in outcome.resources {
                resource.provenance.documentIndex += documentsBefore
                inventory.add(resource)
            }
            diagnostics.append(contentsOf: outcome.diagnostics)
            documentsBefore += outcome.documentCount
        }
        if inventory.count == 0, !allowEmpty, !sources.isEmpty || diagnostics.isEmpty {
            diagnostics.append(Diagnostic(
                kind: .input,
                message: "the inputs hold no Kubernetes resource (did `helm template` fail upstream?); pass --allow-empty if that is expected",
                location: nil))
        }
        return ManifestSet(inventory: inventory, diagnostics: diagnostics, artifacts: artifacts)
    }

    private struct PartOutcome: Sendable {
        var resources: [Resource] = []
        var diagnostics: [Diagnostic] = []
        var documentCount = 0
    }

    private static func parse(_ bytes: ArraySlice<UInt8>, file: String, lineOffset: Int, limits: YAMLLimits, decoder: ManifestDecoder) -> PartOutcome {
        let loaded = YAMLLoader(limits: limits).load(bytes, file: file, lineOffset: lineOffset)
        var outcome = PartOutcome(diagnostics: loaded.errors.map(Diagnostic.init(yamlError:)), documentCount: loaded.documentCount)
        for document in loaded.documents {
            let decoded = decoder.resources(in: document)
            outcome.resources.append(contentsOf: decoded.resources)
            outcome.diagnostics.append(contentsOf: decoded.errors)
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

extension Array where Element == UInt8 {
    /// SHA-256 of the bytes, lower-case hexadecimal.
    public var sha256Hex: String {
        var text = ""
        for byte in SHA256.hash(data: self) {
            text += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }
        return text
    }
}
