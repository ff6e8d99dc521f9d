import CEL
import YAMLSource

/// Finds the image references in the YAML files of a bundle and of its chart archives, and keeps
/// the documents of values files for the values rules. Reads text only: nothing is rendered.
enum BundleYAMLScan {
    enum Kind {
        /// A file of a Helm chart's templates/ (any name: `.yaml`, `.json`, `_helpers.tpl`): not
        /// YAML until rendered, scanned line by line.
        case template
        /// A values file (`values*.yaml`, `.json`, the name in any case, as tier files are
        /// `BundleTierValues.isTierFile`): every `image` key.
        case values
        /// Kubernetes manifests (YAML or JSON): the images of workloads' containers and of
        /// KAgents, every `image` key of custom resources; documents that are not Kubernetes
        /// objects are read as values. The objects are kept for the resource rules.
        case manifests
    }

    struct Result {
        var images: [ReferencedImage] = []
        /// The first document of a values file, when it is a mapping (the values Helm reads).
        var values: YAMLNode?
        /// The Kubernetes objects of a manifests file, which the installer applies as they are.
        var objects: [Resource] = []
        var diagnostics: [Diagnostic] = []
    }

    /// How the file at `path` is scanned: relative to the bundle root, or inside a chart archive
    /// (`inChart`, `CHART/...`, where values, templates and the `crds/` Helm creates as they are
    /// are read); nil when it is not.
    static func kind(of path: String, inChart: Bool) -> Kind? {
        let parts = ArchivePath.components(path)
        guard let name = parts.last else { return nil }
        // Templates are a chart's (in its archive, or a chart folder under charts/); a folder of
        // manifests named templates is manifests, which the installer applies as they are.
        if parts.dropLast().contains("templates"), inChart || parts.first == "charts" { return .template }
        // A tier file is named in any case, its extension too; kubectl compares the extensions
        // of the manifests it applies exactly.
        if BundleTierValues.isTierFile(path) { return .values }
        guard isYAMLOrJSON(path) else { return nil }
        if name.lowercased().hasPrefix("values") { return .values }
        // `helm install` creates every object of the chart's crds/, whatever its kind.
        if inChart { return parts.count > 2 && parts[1] == "crds" ? .manifests : nil }
        if path == "manifest.yaml" || parts.first == "images" || parts.first == "models" { return nil }
        return .manifests
    }

    /// Whether `path` names a file read as YAML (JSON is YAML).
    static func isYAMLOrJSON(_ path: String) -> Bool {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml") || path.hasSuffix(".json")
    }

    /// Scans one file. `file` is its bundle-relative name, `displayName` the name reports use.
    /// `decoder` reads the objects of a bundle's manifests (with the run's default namespace).
    static func scan(_ bytes: [UInt8], kind: Kind, file: String, displayName: String, inChart: Bool,
                     decoder: ManifestDecoder = ManifestDecoder()) -> Result {
        var result = Result()
        let valuesSource: ReferencedImage.Source = inChart ? .chartValues : .values
        switch kind {
        case .template:
            // Read as YAML files are (UTF-16 or UTF-32 with a byte order mark as UTF-8): text that
            // cannot be read is an error, never a template without images.
            switch UnicodeText.utf8(bytes, file: displayName) {
            case .failure(let error):
                result.diagnostics = [Diagnostic(yamlError: error)]
            case .success(let text):
                if let error = UnreadableDocuments.firstError(in: text, file: displayName) {
                    result.diagnostics = [Diagnostic(yamlError: error)]
                } else {
                    result.images = templateImages(text, file: file, displayName: displayName)
                }
            }
        case .values, .manifests:
            let loaded = YAMLLoader().load(bytes, file: displayName)
            result.diagnostics = loaded.errors.map(Diagnostic.init(yamlError:))
            if kind == .values, let error = HelmValues.unreadDocumentError(loaded, file: displayName) {
                result.diagnostics.append(error)
            }
            var valuesRead = false
            for document in loaded.documents {
                // A Kubernetes object is one whatever the file's name (`values-pod.yaml`); a file
                // the tier values merge reads (`helm install -f values-tier1-edge.yaml`) is values
                // too, whatever keys it holds: an `apiVersion` and a `kind` do not hide its values.
                let object = isObject(document.root) && !inChart
                if object {
                    result.images += manifestImages(document.root, file: file)
                    let decoded = decoder.resources(in: document)
                    result.objects += decoded.resources
                    result.diagnostics += decoded.errors
                }
                if kind == .values, !object || BundleTierValues.isMerged(file) {
                    if !valuesRead { keepValues(document.root, displayName: displayName, in: &result) }
                    valuesRead = true
                    if !object { result.images += valuesImages(document.root, file: file, source: valuesSource) }
                } else if !object {
                    result.images += manifestImages(document.root, file: file)
                }
            }
            if kind == .values, loaded.documents.isEmpty, loaded.errors.isEmpty {
                result.values = setsNothing(displayName)
            }
        }
        return result
    }

    /// The values of a file that sets none (empty, `~` or only comments): an empty mapping at its
    /// first line. `helm install -f` takes such a file, so a tier file that is one still installs
    /// the chart's defaults, which the values rules judge as its tier.
    private static func setsNothing(_ displayName: String) -> YAMLNode? {
        YAMLLoader().load(Array("{}".utf8), file: displayName).documents.first?.root
    }

    /// Keeps the first values document of a file for the values rules, or the error saying it is
    /// no mapping: Helm refuses such a file, and merged values would silently leave it out.
    private static func keepValues(_ root: YAMLNode, displayName: String, in result: inout Result) {
        if let error = HelmValues.notMappingError(root, file: displayName) {
            result.diagnostics.append(error)
        } else {
            result.values = root
        }
    }

    /// Whether `root` reads as a Kubernetes object (or list of them): a mapping with a kind and
    /// an apiVersion. Other documents of a manifests file are read as values.
    private static func isObject(_ root: YAMLNode) -> Bool {
        root.kind == .mapping && root["kind"]?.string != nil && root["apiVersion"]?.string != nil
    }

    /// Images of a Kubernetes object (lists expanded): containers of workloads, and every `image`
    /// key of a custom resource (an Argo Rollout, a Knative Service, Volcano's Job), Helm's
    /// `{repository, tag}` form included, unless its group's are not containers' (a policy
    /// engine's patterns, a cloud machine's disk image: `APIGroups.holdsOtherImages`).
    private static func manifestImages(_ root: YAMLNode, file: String) -> [ReferencedImage] {
        guard isObject(root), let kind = root["kind"]?.string, let apiVersion = root["apiVersion"]?.string else {
            return valuesImages(root, file: file, source: .values)
        }
        if kind.hasSuffix("List"), let items = root["items"] {
            return items.items.flatMap { manifestImages($0, file: file) }
        }
        let group = Resource.groupAndVersion(of: apiVersion).group
        if APIGroups.isCustom(group) {
            // A kind of another group (a KAgent), even one named like a workload (Volcano's
            // `Job`); a policy engine's `image` keys are patterns, a cloud machine's a disk image.
            return APIGroups.holdsOtherImages(group) ? [] : valuesImages(root, file: file, source: .manifest)
        }
        guard case .list(let containers) = WorkloadFunctions.containers(of: CELValue(yaml: root)) else { return [] }
        return (0..<containers.count).compactMap { index in
            let container = containers[index]
            guard case .string(let text)? = container.child("image"),
                  let span = container.positioned?.position(ofKey: .string("image")) else { return nil }
            return ReferencedImage(reference: text, file: file, location: span, source: .manifest)
        }
    }

    /// Every `image` key under `node`, at any depth.
    private static func valuesImages(_ node: YAMLNode, file: String, source: ReferencedImage.Source) -> [ReferencedImage] {
        var found: [ReferencedImage] = []
        for (key, value) in node.entries {
            if key.text == "image", let reference = HelmImage.reference(of: value) {
                found.append(ReferencedImage(reference: reference, file: file, location: value.span, source: source))
            } else if key.text == "image", value.kind == .sequence, value.items.contains(where: { $0.kind == .scalar }) {
                // A list of references (`image: [a, b]`): each is one.
                for item in value.items {
                    if item.kind == .scalar, let reference = HelmImage.reference(of: item) {
                        found.append(ReferencedImage(reference: reference, file: file, location: item.span, source: source))
                    } else {
                        found += valuesImages(item, file: file, source: source)
                    }
                }
            } else {
                found += valuesImages(value, file: file, source: source)
            }
        }
        for item in node.items { found += valuesImages(item, file: file, source: source) }
        return found
    }

    /// The `image` keys of a Helm template, wherever they are on a line (`image: REF`,
    /// `- image: "REF"`, flow `{name: c, image: REF}`, JSON `"image": "REF"`), comments and quotes
    /// removed; the column is the value's. A value holding a template action (`{{ ... }}`) is kept
    /// whole, to the end of the line. A value on the lines below the key (`image:` or a block
    /// scalar `image: >-` followed by more indented lines) is those lines, joined by spaces as
    /// YAML folds them, at its first line; an `image:` whose lines below are a mapping is not one.
    private static func templateImages(_ bytes: [UInt8], file: String, displayName: String) -> [ReferencedImage] {
        var found: [ReferencedImage] = []
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            var position = line.startIndex
            var values: [(line: Int, start: Int)] = []
            while let value = nextImageValue(in: line, from: &position) { values.append((index, value)) }
            if let value = explicitKeyValue(line, following: lines[(index + 1)...]) { values.append(value) }
            for (index, value) in values {
                let line = lines[index]
                if let reference = templateValue(line[value...]) {
                    found.append(ReferencedImage(
                        reference: reference, file: file,
                        location: SourceSpan(file: displayName, line: index + 1, column: value - line.startIndex + 1), source: .chartTemplate))
                } else if let below = valueBelow(key: line, valueStart: value, following: lines[(index + 1)...]) {
                    found.append(ReferencedImage(
                        reference: below.text, file: file,
                        location: SourceSpan(file: displayName, line: below.line + 1, column: below.column + 1), source: .chartTemplate))
                }
            }
        }
        return found
    }

    /// The start of the value of an explicit `image` key (`? image`, then `: VALUE` on the next
    /// line that is not blank or a comment), with that line's index; nil when `line` is no such key.
    private static func explicitKeyValue(_ line: ArraySlice<UInt8>, following: ArraySlice<ArraySlice<UInt8>>) -> (line: Int, start: Int)? {
        var start = line.startIndex
        while start < line.endIndex, [UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "\t")].contains(line[start]) { start += 1 }
        guard line[start...].starts(with: Array("? ".utf8)) else { return nil }
        var key = String(decoding: line[(start + 2)...], as: UTF8.self)
        if let comment = key.firstRange(of: " #") { key = String(key[..<comment.lowerBound]) }
        guard isImageKey(Array(key[...].trimmed(of: " \t\r").utf8)[...]) else { return nil }
        for (index, next) in zip(following.indices, following) {
            let text = String(decoding: next, as: UTF8.self)[...].trimmed(of: " \t\r")
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let colon = next.firstIndex(where: { $0 != UInt8(ascii: " ") }), next[colon] == UInt8(ascii: ":") else { return nil }
            return value(in: next, afterKey: colon).map { (index, $0) }
        }
        return nil
    }

    /// Whether `key`, as written, is `image`: plain, single-quoted, or double-quoted with escapes
    /// (`"imag\x65"`, read by the YAML reader, as kubectl reads it).
    private static func isImageKey(_ key: ArraySlice<UInt8>) -> Bool {
        if key.elementsEqual("image".utf8) || key.elementsEqual("\"image\"".utf8) || key.elementsEqual("'image'".utf8) { return true }
        guard key.first == UInt8(ascii: "\""), key.count > 2, key.contains(UInt8(ascii: "\\")) else { return false }
        let loaded = YAMLLoader().load(Array(key) + Array(": 0".utf8), file: "key")
        guard let root = loaded.documents.first?.root, root.kind == .mapping, root.count == 1 else { return false }
        return root.entry(at: 0).key.text == "image"
    }

    /// The value of a key whose line ends after it (`image:`, `image: >-`, `image: |` with an
    /// optional comment): the more indented lines that follow, trimmed and joined by spaces, with
    /// the index of the first and its column (from 0); nil when there are none, or when they are a
    /// mapping or a sequence rather than a scalar.
    private static func valueBelow(
        key line: ArraySlice<UInt8>, valueStart: Int, following: ArraySlice<ArraySlice<UInt8>>
    ) -> (text: String, line: Int, column: Int)? {
        var rest = String(decoding: line[valueStart...], as: UTF8.self)
        if let comment = rest.firstRange(of: "#"), comment.lowerBound == rest.startIndex || rest[rest.index(before: comment.lowerBound)] == " " {
            rest = String(rest[..<comment.lowerBound])
        }
        rest = rest[...].trimmed(of: " \t\r")
        let isBlockScalar = rest.first == "|" || rest.first == ">"
        guard rest.isEmpty || isBlockScalar && rest.dropFirst().allSatisfy({ "+-123456789".contains($0) }) else { return nil }
        let keyIndent = line[line.startIndex..<valueStart].firstIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") }).map { $0 - line.startIndex } ?? 0
        var parts: [String] = []
        var first: (line: Int, column: Int)?
        for (index, next) in zip(following.indices, following) {
            let text = String(decoding: next, as: UTF8.self)[...].trimmed(of: " \t\r")
            if text.isEmpty { continue }
            let indent = next.firstIndex(where: { $0 != UInt8(ascii: " ") }).map { $0 - next.startIndex } ?? 0
            if indent <= keyIndent { break }
            // A comment before the value is passed over; one after it ends a plain scalar.
            if !isBlockScalar, text.hasPrefix("#") {
                if first == nil { continue }
                break
            }
            if first == nil {
                // A mapping (`repository: x`) or a sequence (`- a`) below the key is no scalar.
                if !isBlockScalar, text.hasPrefix("- ") || text == "-" || text.hasSuffix(":") || text.contains(": ") && !text.hasPrefix("{{") { return nil }
                first = (index, indent)
            }
            parts.append(text)
        }
        guard let first else { return nil }
        let value = parts.joined(separator: " ")
        return (isBlockScalar ? value : unquoted(value), first.line, first.column)
    }

    /// `value` without the quotes around it, when it is quoted.
    private static func unquoted(_ value: String) -> String {
        guard value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote else { return value }
        return String(value.dropFirst().dropLast())
    }

    /// The start of the value of the next `image` key of `line` at or after `position`, which is
    /// moved past it; nil when there is none. A key is `image` (or `"image"`, `'image'`, or written
    /// with escapes, `"\u0069mage"`) followed
    /// by `:` (spaces before it allowed: `image : x`), not part of a longer name, outside a
    /// comment and outside a quoted text (`{name: "sidecar #1", image: x}` has no comment).
    private static func nextImageValue(in line: ArraySlice<UInt8>, from position: inout Int) -> Int? {
        let key = Array("image".utf8)
        while position < line.endIndex {
            let byte = line[position]
            let follows = position == line.startIndex ? UInt8(ascii: " ") : line[position - 1]
            if byte == UInt8(ascii: "#"), follows == UInt8(ascii: " ") || follows == UInt8(ascii: "\t") { return nil }
            // A quote that starts a text (not the apostrophe of `it's`): a key, or passed over.
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'"), position == line.startIndex || !isNameByte(follows) {
                let close = closingQuote(of: line, at: position)
                defer { position = close.map { $0 + 1 } ?? line.endIndex }
                if let close, isImageKey(line[position...close]), let value = value(in: line, afterKey: close + 1) { return value }
                continue
            }
            defer { position += 1 }
            guard line[position...].starts(with: key), position == line.startIndex || !isNameByte(follows),
                  let value = value(in: line, afterKey: position + key.count) else { continue }
            position = value - 1
            return value
        }
        return nil
    }

    /// Where the value starts when a key ending before `end` is followed by `:` (after spaces).
    private static func value(in line: ArraySlice<UInt8>, afterKey end: Int) -> Int? {
        var end = end
        while end < line.endIndex, line[end] == UInt8(ascii: " ") || line[end] == UInt8(ascii: "\t") { end += 1 }
        guard end < line.endIndex, line[end] == UInt8(ascii: ":") else { return nil }
        end += 1
        while end < line.endIndex, line[end] == UInt8(ascii: " ") || line[end] == UInt8(ascii: "\t") { end += 1 }
        return end
    }

    /// The position of the quote closing the one at `start` (`\"` escapes in double quotes, `''`
    /// in single ones); nil when the line ends first.
    private static func closingQuote(of line: ArraySlice<UInt8>, at start: Int) -> Int? {
        let quote = line[start]
        var index = start + 1
        while index < line.endIndex {
            if quote == UInt8(ascii: "\""), line[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if line[index] == quote {
                guard quote == UInt8(ascii: "'"), index + 1 < line.endIndex, line[index + 1] == quote else { return index }
                index += 2
                continue
            }
            index += 1
        }
        return nil
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }

    /// An image value as written from its first byte: quoted (to the closing quote), holding a
    /// template action (the rest of the line), or plain (to a `,`, `}` or `]` ending a flow
    /// collection, or a comment); nil for none (nothing but a comment), or a block scalar (`|`, `>`).
    private static func templateValue(_ text: ArraySlice<UInt8>) -> String? {
        guard let first = text.first, first != UInt8(ascii: "|"), first != UInt8(ascii: ">"), first != UInt8(ascii: "#") else { return nil }
        var value = String(decoding: text, as: UTF8.self)
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            let body = value.dropFirst()
            if let close = body.firstIndex(of: Character(UnicodeScalar(first))), !body[..<close].contains("{{") {
                return String(body[..<close])
            }
        }
        if let comment = value.firstRange(of: " #") { value = String(value[..<comment.lowerBound]) }
        if !value.contains("{{"), let end = value.firstIndex(where: { $0 == "," || $0 == "}" || $0 == "]" }) {
            value = String(value[..<end])
        }
        value = unquoted(value[...].trimmed(of: " \t\r"))
        return value.isEmpty ? nil : value
    }
}
