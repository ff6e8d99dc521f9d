import CEL
import YAMLSource

/// Helm values merged from several files exactly as `helm -f a.yaml -f b.yaml` does: mappings merge
/// deeply, lists and scalars from later files replace earlier ones, and `null` deletes a key.
/// Every leaf is still the YAML node of the file that set it, so findings blame that file's line.
public struct HelmValues: Sendable {
    /// The merged tree: a mapping at the top.
    public private(set) var root: ValuesMap

    /// The tier the names of the files give (`values-tier1-edge.yaml`: edge), as a bundle's tier
    /// file is installed at the tier its name gives, whatever its `global.tier` says.
    public private(set) var namedTier: Tier?

    public init() {
        root = ValuesMap()
    }

    /// Merges the next values file's top-level node over what is there.
    public mutating func merge(_ overlay: YAMLNode) {
        guard overlay.kind == .mapping else { return }
        root = root.merging(overlay)
    }

    /// Makes findings about a top-level key no file sets point at `file`'s mapping, rather than at
    /// the last file merged: a bundle's tier file is the one under check, and a
    /// `values-tenants.yaml` merged after it holds no networking or models.
    public mutating func placeTop(at file: YAMLNode) {
        guard file.kind == .mapping else { return }
        root.place(at: file)
    }

    /// The merged values as CEL sees them (`values`).
    public var celValue: CELValue { .map(CELMap(provider: root)) }

    /// `global.tier` when it is a string.
    public var declaredTier: String? {
        guard case .string(let tier)? = celValue.child("global")?.child("tier") else { return nil }
        return tier
    }

    /// An error at `global.tier` when it names no tier: a string that is none (`Edge`), or a value
    /// that is no string (`1`, `[edge]`). The rules limited to a tier could not run, as for
    /// `--tier Edge`, which is refused. A null tier is an absent one.
    public var unknownTierError: Diagnostic? {
        guard let global = celValue.child("global"), let value = global.child("tier") else { return nil }
        let problem: String
        switch value {
        case .null: return nil
        case .string(let tier):
            guard Tier(rawValue: tier) == nil else { return nil }
            problem = "\"\(tier)\" is not a deployment tier"
        default:
            problem = "is a \(value.celType.name), not the name of a deployment tier"
        }
        return Diagnostic(
            kind: .input,
            message: "global.tier \(problem) (\(Tier.allNames)): the rules that depend on the tier could not run",
            location: global.positioned?.position(ofKey: .string("tier")))
    }

    /// Reads and merges values files in order; problems become diagnostics naming the file.
    public static func load(files: [String], limits: YAMLLimits) -> (values: HelmValues, artifacts: [CheckResult.Artifact], errors: [Diagnostic]) {
        var values = HelmValues()
        var errors: [Diagnostic] = []
        var artifacts: [CheckResult.Artifact] = []
        var namingFile: String?
        for file in files {
            if let tier = BundleTierValues.tier(named: file) {
                if let earlier = values.namedTier, let namingFile, earlier != tier {
                    errors.append(Diagnostic(
                        kind: .input,
                        message: "values files of two tiers: \(namingFile) is of tier \(earlier.rawValue) by its name, this one of tier \(tier.rawValue); check each tier in a run of its own",
                        location: SourceSpan(file: file, line: 1, column: 1)))
                }
                values.namedTier = tier
                namingFile = file
            }
            switch InputReader.read(file == "-" ? .standardInput : .namedFile(file), limit: limits.maxInputBytes) {
            case .failure(let error): errors.append(error)
            case .success(let input):
                artifacts.append(.init(path: input.name, sha256: FileDigest.sha256(of: input.bytes)))
                values.root.fileStart = SourceSpan(file: input.name, line: 1, column: 1)
                let loaded = YAMLLoader(limits: limits).load(input.bytes, file: input.name)
                errors += LimitedDiagnostics(loaded.errors.map(Diagnostic.init(yamlError:))).all
                if let error = unreadDocumentError(loaded, file: input.name) { errors.append(error) }
                guard let document = loaded.documents.first else { continue }
                if let error = notMappingError(document.root, file: input.name) {
                    errors.append(error)
                    continue
                }
                values.merge(document.root)
            }
        }
        return (values, artifacts, errors)
    }

    /// The error of a values document that is no mapping (a list, a string): Helm refuses to
    /// install with it ("cannot unmarshal array into Go value of type map"), and merging leaves
    /// it out, so the values checked would be those of the other files alone.
    static func notMappingError(_ root: YAMLNode, file: String) -> Diagnostic? {
        guard root.kind != .mapping else { return nil }
        return Diagnostic(kind: .input, message: "values must be a mapping at the top", location: SourceSpan(file: file, line: root.line, column: root.column))
    }

    /// The error of a values file with more than one document, at the first one Helm does not
    /// read: Helm reads a file's first document alone, an empty one too (`---` twice before the
    /// values), so what a later one sets would be checked here but never applied.
    static func unreadDocumentError(_ loaded: YAMLLoader.Result, file: String) -> Diagnostic? {
        guard let unread = loaded.documents.first(where: { $0.index > 0 }) else { return nil }
        let first = loaded.documents[0].index > 0 ? ", the first empty" : ""
        return Diagnostic(
            kind: .input, message: "a values file holds one document; found \(loaded.documentCount)\(first) (Helm reads only the first)",
            location: SourceSpan(file: file, line: unread.root.line, column: 1))
    }
}

/// One node of merged values.
public indirect enum ValuesNode: Sendable {
    /// A scalar or list, or a mapping no later file merged into: the node as written.
    case leaf(YAMLNode)
    case map(ValuesMap)

    var celValue: CELValue {
        switch self {
        case .leaf(let node): return CELValue(yaml: node)
        case .map(let map): return .map(CELMap(provider: map))
        }
    }

    var position: SourceSpan {
        switch self {
        case .leaf(let node): return node.span
        case .map(let map): return map.position
        }
    }
}

/// A merged mapping: keys in first-seen order, each value from the file that set it last.
public struct ValuesMap: Sendable, CELMapProvider, CELPositioned {
    private var order: [String] = []
    private var entries: [String: ValuesNode] = [:]
    /// The mapping node of the last file that contributed to this map.
    private var origin: YAMLNode?
    /// For the top-level map, the start of the last values file read: where the map is when no
    /// file gave it a mapping (empty, `~` or only comments), so findings still name a file.
    fileprivate var fileStart: SourceSpan?

    init() {}

    func merging(_ overlay: YAMLNode) -> ValuesMap {
        var result = self
        result.origin = overlay
        for (keyNode, valueNode) in overlay.entries {
            let key = keyNode.text ?? ""
            if valueNode.isNull {
                result.entries[key] = nil
                result.order.removeAll { $0 == key }
                continue
            }
            let merged: ValuesNode
            if valueNode.kind == .mapping {
                let base: ValuesMap
                switch result.entries[key] {
                case .map(let existing): base = existing
                case .leaf(let node) where node.kind == .mapping: base = ValuesMap().merging(node)
                default: base = ValuesMap()
                }
                merged = .map(base.merging(valueNode))
            } else {
                merged = .leaf(valueNode)
            }
            if result.entries.updateValue(merged, forKey: key) == nil { result.order.append(key) }
        }
        return result
    }

    fileprivate mutating func place(at node: YAMLNode) {
        origin = node
    }

    public var count: Int { order.count }

    public var keys: [CELValue] { order.map(CELValue.string) }

    public func value(forKey key: CELValue) -> CELValue? {
        guard case .string(let name) = key else { return nil }
        return entries[name]?.celValue
    }

    public var position: SourceSpan { origin?.span ?? fileStart ?? SourceSpan(file: "", line: 1, column: 1) }

    public func position(ofKey key: CELValue) -> SourceSpan? {
        guard case .string(let name) = key else { return nil }
        return entries[name]?.position
    }
}
