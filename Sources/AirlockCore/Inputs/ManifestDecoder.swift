import YAMLSource

/// Turns YAML documents into resources: each document must be a Kubernetes object (a mapping with
/// string `apiVersion`, `kind` and `metadata.name`), and `kind: List` or any `*List` with `items`
/// (as `kubectl get -o yaml` writes, or the API server for a typed list) contributes its items; so
/// does any other document with `items`, as kubectl reads it, with an error.
public struct ManifestDecoder: Sendable {
    /// The namespace of namespaced objects that state none.
    public var defaultNamespace: String

    public init(defaultNamespace: String = "default") {
        self.defaultNamespace = defaultNamespace
    }

    /// The objects of `document`. A mapping with a duplicate key (kept by a loader that
    /// `keepsDocumentsWithDuplicateKeys`) is an error, and so is the object holding it: the item of
    /// a List, whose other items are still read, or else the whole document.
    public func resources(in document: YAMLDocument) -> (resources: [Resource], errors: [Diagnostic]) {
        var resources: [Resource] = []
        var errors: [Diagnostic] = []
        var rejectedItems: Set<UInt32> = []
        if !document.duplicateKeys.isEmpty {
            errors = document.duplicateKeys.map { Diagnostic(yamlError: $0.error) }
            guard let items = Self.listItems(holding: document.duplicateKeys.map(\.nodes), in: document.root) else { return ([], errors) }
            rejectedItems = items
        }
        decode(document.root, document: document, rejectedItems: rejectedItems, into: &resources, errors: &errors)
        return (resources, errors)
    }

    /// The items of the List `root` that hold one of the mappings with a duplicate key (each given
    /// as the nodes that read it: see `YAMLDocument.DuplicateKey`), nil when `root` is no List or
    /// holds one outside its items.
    private static func listItems(holding mappings: [[UInt32]], in root: YAMLNode) -> Set<UInt32>? {
        guard root.kind == .mapping, root["kind"]?.string?.hasSuffix("List") == true,
              let items = root["items"], items.kind == .sequence else { return nil }
        var mappingOfNode: [UInt32: Int] = [:]
        for (index, nodes) in mappings.enumerated() {
            for node in nodes { mappingOfNode[node] = index }
        }
        var placed = Array(repeating: false, count: mappings.count)
        var holding: Set<UInt32> = []
        for item in items.items {
            var nodes: Set<UInt32> = []
            collectNodes(of: item, into: &nodes)
            for node in nodes {
                guard let index = mappingOfNode[node] else { continue }
                holding.insert(item.id)
                placed[index] = true
            }
        }
        return placed.allSatisfy { $0 } ? holding : nil
    }

    /// The ids of `node` and every node under it, each walked once.
    private static func collectNodes(of node: YAMLNode, into nodes: inout Set<UInt32>) {
        guard nodes.insert(node.id).inserted else { return }
        for item in node.items { collectNodes(of: item, into: &nodes) }
        for (key, value) in node.entries {
            collectNodes(of: key, into: &nodes)
            collectNodes(of: value, into: &nodes)
        }
    }

    /// `listed`: the kind and apiVersion of the items of the typed list (`PodList`) `node` is an
    /// item of: the API server leaves them out of each item (kubectl adds them), so an item that
    /// states neither is of those. One that states only one of them gets nothing from the list,
    /// as apimachinery adds both or none: kubectl refuses it, and it is an error here too.
    private func decode(
        _ node: YAMLNode, document: YAMLDocument, listed: (kind: String, apiVersion: String)? = nil, rejectedItems: Set<UInt32>,
        into resources: inout [Resource], errors: inout [Diagnostic]
    ) {
        func fail(_ message: String, at position: YAMLNode) {
            errors.append(Diagnostic(kind: .input, message: message, location: SourceSpan(file: document.file, line: position.line, column: position.column)))
        }
        guard node.kind == .mapping else {
            fail("document is not a Kubernetes object: expected a mapping with apiVersion and kind, found a \(node.kind == .sequence ? "sequence" : "scalar")", at: node)
            return
        }
        let listed = node["kind"] == nil && node["apiVersion"] == nil ? listed : nil
        guard let kind = node["kind"] == nil ? listed?.kind : node["kind"]?.string, !kind.isEmpty else {
            fail("document is not a Kubernetes object: " + Self.kindProblem(node, isDocument: node.id == document.root.id, file: document.file), at: node["kind"] ?? node)
            return
        }
        guard let apiVersion = node["apiVersion"] == nil ? listed?.apiVersion : node["apiVersion"]?.string, !apiVersion.isEmpty else {
            fail("\(kind) has \(node["apiVersion"] == nil ? "no" : "an invalid") apiVersion", at: node["apiVersion"] ?? node)
            return
        }
        // A kustomization is what `kubectl kustomize` builds objects from, never an object itself:
        // checked as one, the objects it builds (other images, patches) would pass unseen.
        if apiVersion.hasPrefix("kustomize.config.k8s.io/") {
            fail("\(kind) is a kustomize build input, not a Kubernetes object: check what `kubectl kustomize` renders from its folder instead", at: node["apiVersion"] ?? node)
            return
        }
        if let items = node["items"] {
            // kubectl and Helm decode any document with `items` as a list of them (apimachinery's
            // unstructured decoding) and apply its items, never the object itself: so are they
            // checked here, and a document that looks like another object is an error.
            if !kind.hasSuffix("List") {
                fail("\(kind) has a top-level items field: kubectl and Helm read such a document as a list and apply its items, "
                    + "never the \(kind) itself; its items are checked as the objects", at: node.entries.first { $0.key.text == "items" }?.key ?? items)
            }
            guard items.kind == .sequence || items.isNull else {
                fail("\(kind).items must be a sequence", at: items)
                return
            }
            // An item stating no kind is of the list's kind without `List` (apimachinery trims
            // the suffix: `PodList` gives `Pod`, a `Deployment` holding items `Deployment`).
            let itemType = kind == "List" ? nil : (kind: kind.hasSuffix("List") ? String(kind.dropLast(4)) : kind, apiVersion: apiVersion)
            for item in items.items where !rejectedItems.contains(item.id) {
                decode(item, document: document, listed: itemType, rejectedItems: rejectedItems, into: &resources, errors: &errors)
            }
            return
        }
        let metadata = node["metadata"]
        guard let metadata, metadata.kind == .mapping else {
            let listProblem = metadata == nil && kind.hasSuffix("List") ? "\(kind) has no items (and no metadata, as an object would have)" : nil
            fail(listProblem ?? "\(kind) has no metadata mapping", at: metadata ?? node)
            return
        }
        let name: String
        let (statedName, generateName) = (metadata["name"], metadata["generateName"])
        var written: Resource.WrittenFields = listed == nil ? [] : .inheritedType
        if generateName != nil, statedName.map({ $0.isNull || $0.string == "" }) ?? true { written.insert(.generatedName) }
        if metadata["uid"]?.string?.isEmpty == false { written.insert(.uid) }
        if let given = statedName?.string, !given.isEmpty {
            name = given
        } else if let prefix = generateName?.string, !prefix.isEmpty {
            name = prefix + "*"
        } else if let stated = statedName, !stated.isNull {
            fail("\(kind): metadata.name must be a non-empty string", at: stated)
            return
        } else {
            fail("\(kind) has no metadata.name", at: metadata)
            return
        }
        // As kubectl and the API server read it: an empty or null namespace is none (what Helm
        // renders for an unset value), and a cluster-scoped object's namespace is dropped.
        var namespace = ""
        let isClusterScoped = ClusterScopedKinds.contains(kind: kind, apiVersion: apiVersion)
        let statedNamespace = metadata["namespace"]
        if statedNamespace != nil { written.insert(.namespaceKey) }
        if let stated = statedNamespace, !stated.isNull, stated.string != "" {
            written.insert(.namespace)
            guard let text = stated.string else {
                fail("\(kind) \(name): metadata.namespace must be a string", at: stated)
                return
            }
            if !isClusterScoped { namespace = text }
        } else if !isClusterScoped {
            namespace = defaultNamespace
        }
        if let labelNode = metadata["labels"], labelNode.kind == .mapping {
            for (key, value) in labelNode.entries where key.text == nil || value.kind != .scalar {
                fail("\(kind) \(name): label values must be strings", at: value)
                return
            }
        }
        var resource = Resource(
            apiVersion: apiVersion, kind: kind, namespace: namespace, name: name, node: node, documentIndex: document.index, written: written)
        resource.isLookalike = BuiltinKinds.isLookalike(kind: kind, group: resource.group)
        resources.append(resource)
    }

    /// What is wrong with the `kind` of a mapping that is no object: absent (with a hint when a
    /// whole document has no apiVersion either: a values file, or a package's package.yaml, given
    /// as a manifest), empty, or not text.
    static func kindProblem(_ node: YAMLNode, isDocument: Bool, file: String) -> String {
        guard let kind = node["kind"] else {
            guard isDocument && node["apiVersion"] == nil else { return "missing kind" }
            let name = file.split(separator: "/").last.map(String.init) ?? file
            let hint = switch name {
            case "package.yaml": "a domain package's manifest? check the package with gate pre-publish"
            case "kustomization.yaml", "kustomization.yml", "Kustomization": "a kustomize build input? check what `kubectl kustomize` renders from its folder"
            default: "a Helm values file? give it with --values"
            }
            return "missing kind and apiVersion (\(hint))"
        }
        if kind.isNull || kind.string?.isEmpty == true { return "kind is empty" }
        return "kind is \(kind.kind == .mapping ? "a mapping" : kind.kind == .sequence ? "a sequence" : "not text"), not a kind name"
    }
}
