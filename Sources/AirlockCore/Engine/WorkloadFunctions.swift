import CEL
import YAMLSource

/// Where Kubernetes workloads keep their pod spec, and custom resources their containers, as facts
/// for policies: `podSpec(object)`, `containers(object)` and the containers' environment, and
/// `fieldHolders(object, name)`. Every kind nests them differently; policies should not each repeat
/// that, and the elements keep their positions for findings.
public enum WorkloadFunctions {
    /// The functions, with the ConfigMaps of `inventory` giving environment values.
    public static func all(_ inventory: Inventory) -> [CELFunction] {
        let configMaps = ConfigMapValues(inventory: inventory)
        return [
            CELFunction(name: "podSpec", kind: .global, arity: 1) { args in
                remembered(\.podSpec, of: args[0]) { podSpec(of: args[0]) ?? .null }
            },
            CELFunction(name: "containers", kind: .global, arity: 1, resultType: .list(.dyn)) { args in containers(of: args[0]) },
            CELFunction(name: "containerEnv", kind: .global, arity: 1, resultType: .list(.dyn)) { args in containerEnv(of: args[0], configMaps: configMaps) },
            CELFunction(name: "containerEnvValues", kind: .global, arity: 1, resultType: .list(.string)) { args in containerEnvValues(of: args[0], configMaps: configMaps) },
            CELFunction(name: "containerArgs", kind: .global, arity: 1, resultType: .list(.string)) { args in containerArgs(of: args[0], configMaps: configMaps) },
            CELFunction(name: "containerArgEntries", kind: .global, arity: 1, resultType: .list(.dyn)) { args in
                containerArgEntries(of: args[0], configMaps: configMaps)
            },
            CELFunction(name: "imageMaps", kind: .global, arity: 1, resultType: .list(.dyn)) { args in imageMaps(of: args[0]) },
            CELFunction(name: "fieldHolders", kind: .global, arity: 2, resultType: .list(.dyn)) { args in
                guard case .string(let name) = args[1] else { return .err("fieldHolders(object, name): the name must be a string") }
                return mappings(of: args[0]) { $0[name] != nil }
            },
        ]
    }

    /// The containers, init containers and ephemeral containers of a workload object, in that
    /// order, as a list; an error when the pod spec or one of those fields has a shape
    /// Kubernetes would refuse (a map of containers would otherwise hide its images). A null item
    /// is the empty container the API server decodes it to, an empty mapping at the item's place,
    /// so that rules read it as they read `{}` instead of failing on `has()` of null.
    ///
    /// A custom resource nests its containers where only its schema says (an Argo Workflow's
    /// `spec.templates[].container`, a KServe predictor's `containers`, a Ray cluster's worker
    /// groups' pod templates): its containers are the mappings `isCustomContainer` takes, at any
    /// depth outside its `metadata` and `status` (see ``APIGroups``), in document order.
    static func containers(of object: CELValue) -> CELValue {
        containers(of: object, at: containerPlace(of: object))
    }

    /// The containers of `object`, which keeps them at `place`; found once per evaluated object.
    private static func containers(of object: CELValue, at place: ContainerPlace?) -> CELValue {
        remembered(\.containers, of: object) { findContainers(of: object, at: place) }
    }

    /// `compute()` once per evaluated object, kept at `slot` of its memo (see
    /// ``YAMLCELHost/ObjectMemo``); computed every time for a value without one.
    private static func remembered(
        _ slot: ReferenceWritableKeyPath<YAMLCELHost.ObjectMemo, CELValue?>, of object: CELValue, _ compute: () -> CELValue
    ) -> CELValue {
        guard let memo = YAMLCELHost.inventoryObject(of: object)?.memo else { return compute() }
        if let known = memo[keyPath: slot] { return known }
        let found = compute()
        memo[keyPath: slot] = found
        return found
    }

    private static func findContainers(of object: CELValue, at place: ContainerPlace?) -> CELValue {
        let spec: CELValue
        switch place {
        case nil: return .list(CELList([]))
        case .anyDepth: return mappings(of: object, where: isCustomContainer)
        case let place?:
            guard let path = place.podSpecPath, let found = podSpec(of: object, path: path) else { return .list(CELList([])) }
            if case .error = found { return found }
            spec = found
        }
        var lists: [CELList] = []
        for field in ["containers", "initContainers", "ephemeralContainers"] {
            switch spec.child(field) {
            case .list(let list)?: lists.append(list)
            case nil, .null?: continue
            case let other?:
                return .error(CELEvalError("the pod spec's \(field) is a \(other.celType.name), not a list", map: spec, key: .string(field)))
            }
        }
        var all: [CELValue] = []
        all.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists {
            for index in 0..<list.count {
                let container = list[index]
                guard case .null = container, let place = CELValue.list(list).positioned?.position(ofKey: .int(Int64(index))) else {
                    all.append(container)
                    continue
                }
                all.append(FactMap(at: place).celValue)
            }
        }
        return .list(CELList(all))
    }

    /// The mappings of `object` that `isHolder` takes, at any depth outside the object's
    /// `metadata` and `status`, in document order (read from its YAML nodes: asking a CEL map for
    /// each of its keys in turn would search it once per key).
    static func mappings(of object: CELValue, where isHolder: (YAMLNode) -> Bool) -> CELValue {
        guard let (host, nodes) = mappingNodes(of: object, where: isHolder) else { return .list(CELList([])) }
        return .list(CELList(nodes.map(host.value(of:))))
    }

    /// The nodes of `mappings(of:where:)`, with the host that makes CEL values of them; nil for an
    /// object that is not read from YAML.
    private static func mappingNodes(of object: CELValue, where isHolder: (YAMLNode) -> Bool) -> (YAMLCELHost, [YAMLNode])? {
        guard case .map(let map) = object, let host = map.host as? YAMLCELHost else { return nil }
        var holders: [YAMLNode] = []
        func collect(_ node: YAMLNode, isRoot: Bool = false) {
            switch node.kind {
            case .mapping:
                if isHolder(node) { holders.append(node) }
                for position in 0..<node.count {
                    let (key, value) = node.entry(at: position)
                    if isRoot, key.text == "metadata" || key.text == "status" { continue }
                    collect(value)
                }
            case .sequence:
                for position in 0..<node.count { collect(node.item(at: position)) }
            case .scalar:
                break
            }
        }
        collect(host.document.node(map.id), isRoot: true)
        return (host, holders)
    }

    /// The images a custom resource names by a mapping, as Helm charts do (`image: {registry,
    /// repository, tag, digest}`: a VictoriaMetrics VMAgent's `spec.image`), which its operator
    /// pulls as the reference the parts compose (`HelmImage`). Each is a mapping at the image
    /// mapping's place with its keys and `image`, that reference, placed at the registry when it
    /// is given, else at the repository: an image holder as a container is, which rules read
    /// alike. Kubernetes' workloads have none (their images are strings).
    static func imageMaps(of object: CELValue) -> CELValue {
        guard case .anyDepth? = containerPlace(of: object),
              let (host, holders) = mappingNodes(of: object, where: { $0["image"]?.kind == .mapping })
        else { return .list(CELList([])) }
        var images: [CELValue] = []
        for case let image? in holders.map({ $0["image"] }) {
            guard let reference = HelmImage.reference(of: image) else { continue }
            let mapping = host.value(of: image)
            guard case .map(let parts) = mapping, let place = mapping.positioned?.position else { continue }
            var entry = FactMap(at: place)
            for key in parts.keys {
                guard case .string(let name) = key, let value = parts.value(forKey: key) else { continue }
                entry.set(name, value)
            }
            entry.set("image", .string(reference), at: mapping.positioned?.position(ofKey: .string(HelmImage.sourceKey(of: image))))
            images.append(entry.celValue)
        }
        return .list(CELList(images))
    }

    /// Whether a mapping of a custom resource is a container: it has a string `image`, or no
    /// `image` and an `env` list: a container whose image its schema gives elsewhere (a KServe
    /// predictor's `model`, run by its ServingRuntime's image; a Tekton step taking its
    /// `stepTemplate`'s; a SparkApplication's `driver`, the `spec.image`), whose environment
    /// values the rules read. An `image` of another type (Helm's `{repository, tag}`) or an empty
    /// one is none.
    private static func isCustomContainer(_ node: YAMLNode) -> Bool {
        if let image = node["image"] {
            // An empty image is an unset one, the operator's default (Prometheus's `image: ""`).
            guard image.kind == .scalar, case .string(let text) = YAMLCELHost.scalar(image) else { return false }
            return !text.isEmpty
        }
        return node["env"]?.kind == .sequence
    }

    /// The environment variables of a workload's containers (those of `containers(of:)`, in that
    /// order), each a mapping of its env entry's keys (`name`, `value`, `valueFrom`) at their
    /// places plus `container`, the container's name, and `expandedValue`, the value with its
    /// `$(NAME)` references expanded (see `EnvReferenceExpansion`), at the value's place: a finding
    /// on one points at that variable (`path: expandedValue` at its value, or at the `valueFrom`
    /// or `envFrom` entry it was read through) and its message can name both.
    /// A value read from a ConfigMap among the inputs (see `forEachEnvEntry`) also has
    /// `configMap`, `{name, key}`. A null entry is an empty one at its place, as for containers.
    static func containerEnv(of object: CELValue, configMaps: ConfigMapValues) -> CELValue {
        var variables: [CELValue] = []
        let failure = forEachEnvEntry(of: object, configMaps: configMaps) { container, entry, place, expandedValue, source in
            let place = place()
            var keys: [(String, CELValue, SourceSpan?)] = []
            if case .map(let map) = entry {
                let keyPlaces = entry.positioned
                for key in map.keys {
                    guard case .string(let text) = key, let value = map.value(forKey: key) else { continue }
                    keys.append((text, value, keyPlaces?.position(ofKey: key)))
                }
                // A value read through `valueFrom` (an empty `value` beside it gives way) is placed there.
                let written = entry.child("value").flatMap(EnvReferenceExpansion.text(of:)) ?? ""
                let valueKey = written.isEmpty ? "valueFrom" : "value"
                if let expandedValue { keys.append(("expandedValue", .string(expandedValue), keyPlaces?.position(ofKey: .string(valueKey)))) }
            }
            if let source {
                keys.append(("configMap", .map(CELMap(["name": .string(source.configMap), "key": .string(source.key)])), nil))
            }
            keys.append(("container", container.child("name") ?? .null, container.positioned?.position(ofKey: .string("name"))))
            guard let place else {
                variables.append(.map(CELMap(keys.map { (CELValue.string($0.0), $0.1) })))
                return
            }
            var variable = FactMap(at: place)
            for (key, value, span) in keys { variable.set(key, value, at: span) }
            variables.append(variable.celValue)
        }
        return failure ?? .list(CELList(variables))
    }

    /// The `value`s of the containers' environment variables, in the order of `containerEnv(of:)`,
    /// each with its `$(NAME)` references expanded (see `EnvReferenceExpansion`).
    static func containerEnvValues(of object: CELValue, configMaps: ConfigMapValues) -> CELValue {
        var values: [CELValue] = []
        let failure = forEachEnvEntry(of: object, configMaps: configMaps) { _, _, _, expandedValue, _ in
            if let expandedValue { values.append(.string(expandedValue)) }
        }
        return failure ?? .list(CELList(values))
    }

    /// The strings of the containers' `command` and `args` (those of `containers(of:)`, in that
    /// order, a container's command before its args), each expanded as the kubelet expands them
    /// (see `forEachArgument`); items that are no string are left out.
    static func containerArgs(of object: CELValue, configMaps: ConfigMapValues) -> CELValue {
        var strings: [CELValue] = []
        let failure = forEachArgument(of: object, configMaps: configMaps) { _, _, _, expanded, _ in strings.append(.string(expanded)) }
        return failure ?? .list(CELList(strings))
    }

    /// The arguments of `containerArgs(of:)`, each a mapping at its item's place: `container`, the
    /// container's name; `field`, `command` or `args`; `value`, the item as written; and
    /// `expandedValue`, as the kubelet expands it, at the same place (so that a finding on one
    /// points at that argument, as `containerEnv(of:)`'s do at a variable); and `previous`, the
    /// expanded argument before it in the container's command and args (null for the first): the
    /// flag whose value it is, in `--model NAME`.
    static func containerArgEntries(of object: CELValue, configMaps: ConfigMapValues) -> CELValue {
        var entries: [CELValue] = []
        let failure = forEachArgument(of: object, configMaps: configMaps) { container, field, item, expanded, previous in
            let place = CELValue.list(item.list).positioned?.position(ofKey: .int(Int64(item.index)))
            let keys: [(String, CELValue)] = [
                ("container", container.child("name") ?? .null), ("field", .string(field)), ("value", item.list[item.index]),
                ("expandedValue", .string(expanded)), ("previous", previous.map { .string($0) } ?? .null),
            ]
            guard let place else {
                entries.append(.map(CELMap(keys.map { (CELValue.string($0.0), $0.1) })))
                return
            }
            var entry = FactMap(at: place)
            for (key, value) in keys { entry.set(key, value, at: key == "container" ? container.positioned?.position(ofKey: .string("name")) : place) }
            entries.append(entry.celValue)
        }
        return failure ?? .list(CELList(entries))
    }

    /// Calls `body` with each string of the containers' `command` and `args`, in the order of
    /// `containerArgs(of:)`: the container, the field, the list and the item's index in it, and
    /// the item with its `$(NAME)` references expanded as the kubelet expands them, with every
    /// variable of the container's environment as `forEachEnvEntry` reads it (those defined after
    /// the reference too; one whose value the inputs do not give stays as written, `$$` is `$`),
    /// and the expanded string before it in the container's command and args (nil for the first).
    /// The environment is read only when an item holds a `$`: most hold none. Returns an error
    /// where that environment cannot be read, or its references expand beyond the limit.
    private static func forEachArgument(
        of object: CELValue, configMaps: ConfigMapValues,
        _ body: (_ container: CELValue, _ field: String, _ item: (list: CELList, index: Int), _ expanded: String, _ previous: String?) -> Void
    ) -> CELValue? {
        let all = containers(of: object)
        guard case .list(let containers) = all else { return all }
        var expansions: [EnvReferenceExpansion]?
        for index in 0..<containers.count {
            let container = containers[index]
            var previous: String?
            for field in ["command", "args"] {
                guard case .list(let items)? = container.child(field) else { continue }
                for item in 0..<items.count {
                    guard case .string(let text) = items[item] else { continue }
                    guard EnvReferenceExpansion.mayHoldReference(text) else {
                        body(container, field, (items, item), text, previous)
                        previous = text
                        continue
                    }
                    if expansions == nil {
                        var made: [EnvReferenceExpansion] = []
                        if let failure = forEachEnvEntry(of: object, configMaps: configMaps, { _, _, _, _, _ in }, containerEnd: { made.append($0) }) {
                            return failure
                        }
                        expansions = made
                    }
                    guard let expanded = expansions?[index].expand(text) else {
                        return .error(CELEvalError(
                            "the $(NAME) references of this container's command and args expand to more than \(EnvReferenceExpansion.expandedByteLimit >> 20) MiB; airlock stops there",
                            map: .list(items), key: .int(Int64(item))))
                    }
                    body(container, field, (items, item), expanded, previous)
                    previous = expanded
                }
            }
        }
        return nil
    }

    /// Calls `body` with each environment variable of the containers of `object`, in the order the
    /// kubelet sets them: first the keys of the ConfigMaps among the inputs that `envFrom` entries
    /// name (each as an entry `{name}` at its `envFrom` entry; those an env entry defines again are
    /// left out), then the env entries. It passes the container, the entry, its place (found when
    /// asked), its value expanded (nil without a value; a null value is empty; a
    /// `configMapKeyRef` to a ConfigMap among the inputs gives the key's value, and a `fieldRef` to
    /// a label or annotation of the pod template its value, neither expanded), and the ConfigMap
    /// key the value was read from. Returns an error where `env` is not a list, an
    /// entry not a mapping or a value not a scalar, which Kubernetes would refuse. A custom
    /// resource's mapping with an image is a container only by its shape, and its schema may give
    /// `env` another form (Helm values in a HelmRelease: `env: {NAME: value}`): such an `env`, entry
    /// or value is not a container's environment, and is left out rather than an error.
    /// `containerEnd`, when given, is called after each container's entries with its expansion
    /// holding every variable the container defines, as the kubelet expands its command and args.
    private static func forEachEnvEntry(
        of object: CELValue, configMaps: ConfigMapValues,
        _ body: (_ container: CELValue, _ entry: CELValue, _ place: () -> SourceSpan?, _ expandedValue: String?, _ source: ConfigMapValues.Source?) -> Void,
        containerEnd: ((_ expansion: EnvReferenceExpansion) -> Void)? = nil
    ) -> CELValue? {
        let place = containerPlace(of: object)
        let all = containers(of: object, at: place)
        guard case .list(let containers) = all else { return all }
        let podNamespace = namespace(of: object)
        let isCustomResource: Bool
        if case .anyDepth? = place { isCustomResource = true } else { isCustomResource = false }
        for index in 0..<containers.count {
            let container = containers[index]
            let env: CELList
            switch container.child("env") {
            case .list(let list)?: env = list
            case nil, .null?: env = CELList([])
            case _? where isCustomResource: env = CELList([])
            case let other?: return .error(CELEvalError("a container's env is a \(other.celType.name), not a list", map: container, key: .string("env")))
            }
            var fromConfigMaps: [ConfigMapValues.Variable] = []
            if let podNamespace, case .list(let envFrom)? = container.child("envFrom") {
                fromConfigMaps = configMaps.variables(envFrom: envFrom, namespace: podNamespace)
                let redefined = Set((0..<env.count).compactMap { item -> String? in
                    guard case .string(let name)? = env[item].child("name") else { return nil }
                    return name
                })
                let places = CELValue.list(envFrom).positioned
                for variable in fromConfigMaps where !redefined.contains(variable.name) {
                    body(container, .map(CELMap(["name": .string(variable.name)])), { places?.position(ofKey: .int(Int64(variable.entry))) }, variable.value, variable.source)
                }
            }
            /// The value an entry's `valueFrom` names when the inputs give it: a key of a
            /// ConfigMap among them, or a label or annotation of the pod template.
            func referencedValue(_ entry: CELValue) -> (value: String, source: ConfigMapValues.Source?)? {
                if let fromConfigMap = podNamespace.flatMap({ configMaps.value(of: entry, namespace: $0) }) { return fromConfigMap }
                guard case .string(let path)? = entry.child("valueFrom")?.child("fieldRef")?.child("fieldPath"),
                      let value = EnvReferenceExpansion.podMetadataField(path, of: { podMetadata(of: object) }) else { return nil }
                return (value, nil)
            }
            // Made when a value holds a `$`, from the variables before it (`resolved`, kept until
            // then): most containers need none.
            var expansion: EnvReferenceExpansion?
            var resolved: [(entry: CELValue, value: String?)] = []
            func madeExpansion() -> EnvReferenceExpansion {
                var made = EnvReferenceExpansion(podNamespace: podNamespace)
                for variable in fromConfigMaps { made.define(variable.name, value: variable.value, fieldPath: nil) }
                for previous in resolved { made.define(previous.entry, expandedValue: previous.value) }
                return made
            }
            let places = CELValue.list(env).positioned
            for item in 0..<env.count {
                let entry = env[item]
                var expandedValue: String?
                var source: ConfigMapValues.Source?
                switch entry {
                case .null: break
                case .map:
                    if let value = entry.child("value") {
                        guard let text = EnvReferenceExpansion.text(of: value) else {
                            if isCustomResource { continue }
                            return .error(CELEvalError("an env entry's value is a \(value.celType.name), not a string", map: entry, key: .string("value")))
                        }
                        if expansion == nil, EnvReferenceExpansion.mayHoldReference(text) { expansion = madeExpansion() }
                        if expansion == nil {
                            expandedValue = text
                        } else if let expanded = expansion?.expand(text) {
                            expandedValue = expanded
                        } else {
                            return .error(CELEvalError(
                                "the $(NAME) references of this container's environment values expand to more than \(EnvReferenceExpansion.expandedByteLimit >> 20) MiB; airlock stops there",
                                map: entry, key: .string("value")))
                        }
                    }
                    // As for the kubelet, an empty value beside a `valueFrom` gives way to it, even
                    // when the inputs do not give what it reads (then the value is not known).
                    if expandedValue?.isEmpty ?? true, let referenced = referencedValue(entry) {
                        (expandedValue, source) = (referenced.value, referenced.source)
                    } else if expandedValue == "", case .map? = entry.child("valueFrom") {
                        expandedValue = nil
                    }
                    if expansion == nil {
                        resolved.append((entry, expandedValue))
                    } else {
                        expansion?.define(entry, expandedValue: expandedValue)
                    }
                default:
                    if isCustomResource { continue }
                    return .error(CELEvalError("an env entry is a \(entry.celType.name), not a mapping", map: .list(env), key: .int(Int64(item))))
                }
                body(container, entry, { places?.position(ofKey: .int(Int64(item))) }, expandedValue, source)
            }
            containerEnd?(expansion ?? madeExpansion())
        }
        return nil
    }

    /// The namespace of `object`, where its pods run (the view states the run's default namespace
    /// for an object that states none); nil for a cluster-scoped one.
    private static func namespace(of object: CELValue) -> String? {
        guard case .string(let namespace)? = object.child("metadata")?.child("namespace"), !namespace.isEmpty else { return nil }
        return namespace
    }

    /// The metadata of the pods a workload makes (its pod template's; a Pod's own), which
    /// `fieldRef` reads labels and annotations from.
    static func podMetadata(of object: CELValue) -> CELValue? {
        guard let path = containerPlace(of: object)?.podSpecPath else { return nil }
        var value = object
        for key in path.dropLast() {
            guard let next = value.child(key) else { return nil }
            value = next
        }
        return value.child("metadata")
    }

    /// Where an object keeps its containers: one byte, so that every inventory object holds its
    /// own (see ``Resource/containerPlace``).
    enum ContainerPlace: UInt8, Sendable {
        /// Kubernetes' workloads: in the pod spec at `podSpecPath`.
        case pod, podTemplate, workload, cronJob
        /// A custom resource (see ``APIGroups``): wherever its schema says, so at any depth.
        case anyDepth

        /// Path from the object to its pod spec; nil for a custom resource.
        var podSpecPath: [String]? {
            switch self {
            case .pod: ["spec"]
            case .podTemplate: ["template", "spec"]
            case .workload: ["spec", "template", "spec"]
            case .cronJob: ["spec", "jobTemplate", "spec", "template", "spec"]
            case .anyDepth: nil
            }
        }
    }

    /// Where `object` keeps its containers (see ``containerPlace(kind:apiVersion:)``). The view
    /// of an inventory object knows it from when it was made (functions ask it of every
    /// workload several times, and reading `kind` and `apiVersion` through the view cost most of
    /// the answer); for any other value it is read from the value's fields.
    private static func containerPlace(of object: CELValue) -> ContainerPlace? {
        if let inventoryObject = YAMLCELHost.inventoryObject(of: object) { return inventoryObject.containerPlace }
        guard case .string(let kind)? = object.child("kind") else { return nil }
        let apiVersion: String? = if case .string(let text)? = object.child("apiVersion") { text } else { nil }
        return containerPlace(kind: kind, apiVersion: apiVersion)
    }

    /// Where an object of `kind` and `apiVersion` (nil when it states none that is a string) keeps
    /// its containers; nil when it has none: an object of another kind of Kubernetes, or of a
    /// group whose `image` keys are not containers' (`APIGroups.holdsOtherImages`). A workload's
    /// kind in a custom resource's group (Volcano's `batch.volcano.sh` Job) is a custom resource.
    static func containerPlace(kind: String, apiVersion: String?) -> ContainerPlace? {
        // Only a group with a dot can be a custom resource's (`apps/v1` is not read further; its
        // bytes are read in place, as the generic `utf8.contains` costs ten times as much).
        if var apiVersion, apiVersion.withUTF8({ $0.contains(UInt8(ascii: ".")) }) {
            let group = Resource.groupAndVersion(of: apiVersion).group
            if APIGroups.isCustom(group) { return APIGroups.holdsOtherImages(group) ? nil : .anyDepth }
        }
        return podSpecPlace(ofKind: kind)
    }

    /// Where a workload of Kubernetes' own keeps its pod spec, by kind (a switch: hashing the
    /// kind cost more than the walk).
    static func podSpecPlace(ofKind kind: String) -> ContainerPlace? {
        switch kind {
        case "Pod": .pod
        case "PodTemplate": .podTemplate
        case "Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job": .workload
        case "CronJob": .cronJob
        default: nil
        }
    }

    /// The pod spec of a workload object: nil for other kinds or when a step of the path is absent
    /// or null, an error when a step is not a mapping.
    static func podSpec(of object: CELValue) -> CELValue? {
        guard let path = containerPlace(of: object)?.podSpecPath else { return nil }
        return podSpec(of: object, path: path)
    }

    /// The pod spec at `path` of `object`, a workload.
    private static func podSpec(of object: CELValue, path: [String]) -> CELValue? {
        var value = object
        for (depth, key) in path.enumerated() {
            switch value.child(key) {
            case nil, .null?: return nil
            case .map(let map)?: value = .map(map)
            case let other?:
                let field = path[...depth].joined(separator: ".")
                let kind = if case .string(let kind)? = object.child("kind") { kind } else { "workload" }
                return .error(CELEvalError("\(kind) \(field) is a \(other.celType.name), not a mapping", map: value, key: .string(key)))
            }
        }
        return value
    }
}
