import CEL
import YAMLSource

/// Finds the image references in the YAML files of a bundle and of its chart archives, and keeps
/// the documents of values files for the values rules. Reads text only: nothing is rendered.
enum BundleYAMLScan {
    enum Kind {
        /// A Helm template (`templates/**.yaml`): not YAML until rendered, scanned line by line.
        case template
        /// A values file (`values*.yaml`): every `image` key.
        case values
        /// Kubernetes manifests: the images of workloads' containers and of KAgents; documents
        /// that are not Kubernetes objects are read as values.
        case manifests
    }

    struct Result {
        var images: [ReferencedImage] = []
        /// The document of a values file.
        var values: YAMLNode?
        var diagnostics: [Diagnostic] = []
    }

    /// How the file at `path` is scanned: relative to the bundle root, or inside a chart archive
    /// (`inChart`, where only values and templates are read); nil when it is not.
    static func kind(of path: String, inChart: Bool) -> Kind? {
        guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else { return nil }
        let parts = ArchivePath.components(path)
        guard let name = parts.last else { return nil }
        if parts.dropLast().contains("templates") { return .template }
        if name.hasPrefix("values") { return .values }
        if inChart || path == "manifest.yaml" || parts.first == "images" || parts.first == "models" { return nil }
        return .manifests
    }

    /// Scans one file. `file` is its bundle-relative name, `displayName` the name reports use.
    static func scan(_ bytes: [UInt8], kind: Kind, file: String, displayName: String, inChart: Bool) -> Result {
        var result = Result()
        let valuesSource: ReferencedImage.Source = inChart ? .chartValues : .values
        switch kind {
        case .template:
            result.images = templateImages(bytes, file: file, displayName: displayName)
        case .values, .manifests:
            let loaded = YAMLLoader().load(bytes, file: displayName)
            result.diagnostics = loaded.errors.map(Diagnostic.init(yamlError:))
            if kind == .values, loaded.documents.count > 1 {
                result.diagnostics.append(Diagnostic(
                    kind: .input, message: "a values file holds one document; found \(loaded.documents.count)",
                    location: SourceSpan(file: displayName, line: loaded.documents[1].root.line, column: 1)))
            }
            for document in loaded.documents {
                if kind == .values {
                    result.values = result.values ?? document.root
                    result.images += valuesImages(document.root, file: file, source: valuesSource)
                } else {
                    result.images += manifestImages(document.root, file: file)
                }
            }
        }
        return result
    }

    /// Images of a Kubernetes object (lists expanded): containers of workloads, KAgent spec.image.
    private static func manifestImages(_ root: YAMLNode, file: String) -> [ReferencedImage] {
        guard root.kind == .mapping, let kind = root["kind"]?.string, root["apiVersion"]?.string != nil else {
            return valuesImages(root, file: file, source: .values)
        }
        if kind.hasSuffix("List"), let items = root["items"] {
            return items.items.flatMap { manifestImages($0, file: file) }
        }
        var found: [ReferencedImage] = []
        if kind == "KAgent", let image = root["spec"]?["image"], let text = EmbeddedYAML.text(image) {
            found.append(ReferencedImage(reference: text, file: file, location: image.span, source: .manifest))
        }
        guard case .list(let containers) = WorkloadFunctions.containers(of: CELValue(yaml: root)) else { return found }
        for index in 0..<containers.count {
            let container = containers[index]
            guard case .string(let text)? = container.child("image"),
                  let span = container.positioned?.position(ofKey: .string("image")) else { continue }
            found.append(ReferencedImage(reference: text, file: file, location: span, source: .manifest))
        }
        return found
    }

    /// Every `image` key under `node`, at any depth.
    private static func valuesImages(_ node: YAMLNode, file: String, source: ReferencedImage.Source) -> [ReferencedImage] {
        var found: [ReferencedImage] = []
        for (key, value) in node.entries {
            if key.text == "image", let reference = helmImage(value) {
                found.append(ReferencedImage(reference: reference, file: file, location: value.span, source: source))
            } else {
                found += valuesImages(value, file: file, source: source)
            }
        }
        for item in node.items { found += valuesImages(item, file: file, source: source) }
        return found
    }

    /// `image: REF`, or Helm's `image: {registry, repository, tag, digest}` composed as
    /// `registry/repository:tag@digest` (empty parts left out; no tag and no digest means `latest`).
    static func helmImage(_ node: YAMLNode) -> String? {
        if node.kind == .scalar { return EmbeddedYAML.text(node).flatMap { $0.isEmpty ? nil : $0 } }
        guard let repository = EmbeddedYAML.text(node["repository"]), !repository.isEmpty else { return nil }
        func part(_ key: String) -> String? { EmbeddedYAML.text(node[key]).flatMap { $0.isEmpty ? nil : $0 } }
        var reference = repository
        if let registry = part("registry") { reference = registry + "/" + reference }
        if let tag = part("tag") { reference += ":" + tag }
        if let digest = part("digest") { reference += "@" + digest }
        return reference
    }

    /// `image:` lines of a Helm template (`image: REF`, `- image: "REF"`), comments and quotes
    /// removed; the column is the value's.
    private static func templateImages(_ bytes: [UInt8], file: String, displayName: String) -> [ReferencedImage] {
        var found: [ReferencedImage] = []
        let key = Array("image:".utf8)
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            var position = line.startIndex
            func skipSpaces() { while position < line.endIndex, line[position] == UInt8(ascii: " ") { position += 1 } }
            skipSpaces()
            if line[position...].starts(with: Array("- ".utf8)) {
                position += 2
                skipSpaces()
            }
            guard line[position...].starts(with: key) else { continue }
            position += key.count
            skipSpaces()
            let column = position - line.startIndex + 1
            var value = String(decoding: line[position...], as: UTF8.self)
            if let comment = value.firstRange(of: " #") { value = String(value[..<comment.lowerBound]) }
            value = value[...].trimmed(of: " \t\r")
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard let first = value.first, first != "|", first != ">" else { continue }
            found.append(ReferencedImage(
                reference: value, file: file, location: SourceSpan(file: displayName, line: index + 1, column: column), source: .chartTemplate))
        }
        return found
    }
}
