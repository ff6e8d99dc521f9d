import CEL

/// Where Kubernetes workloads keep their pod spec, as facts for policies: `podSpec(object)` and
/// `containers(object)`. Every workload kind nests the pod spec differently; policies should not
/// each repeat that, and the elements keep their positions for findings.
public enum WorkloadFunctions {
    public static let all: [CELFunction] = [
        CELFunction(name: "podSpec", kind: .global, arity: 1) { args in podSpec(of: args[0]) ?? .null },
        CELFunction(name: "containers", kind: .global, arity: 1) { args in containers(of: args[0]) },
    ]

    /// The containers, init containers and ephemeral containers of a workload object, in that
    /// order, as a list; an error when the pod spec or one of those fields has a shape
    /// Kubernetes would refuse (a map of containers would otherwise hide its images). A null item
    /// is the empty container the API server decodes it to, an empty mapping at the item's place,
    /// so that rules read it as they read `{}` instead of failing on `has()` of null.
    static func containers(of object: CELValue) -> CELValue {
        guard let spec = podSpec(of: object) else { return .list(CELList([])) }
        if case .error = spec { return spec }
        var lists: [CELList] = []
        for field in ["containers", "initContainers", "ephemeralContainers"] {
            switch spec.child(field) {
            case .list(let list)?: lists.append(list)
            case nil, .null?: continue
            case let other?: return .error(CELEvalError("the pod spec's \(field) is a \(other.celType.name), not a list"))
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

    /// Path from the object to its pod spec, by kind (a switch: it is asked for every workload
    /// by several policies, and hashing the kind cost more than the walk).
    static func podSpecPath(ofKind kind: String) -> [String]? {
        switch kind {
        case "Pod": return ["spec"]
        case "PodTemplate": return ["template", "spec"]
        case "Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job": return ["spec", "template", "spec"]
        case "CronJob": return ["spec", "jobTemplate", "spec", "template", "spec"]
        default: return nil
        }
    }

    /// The pod spec of a workload object: nil for other kinds or when a step of the path is absent
    /// or null, an error when a step is not a mapping.
    static func podSpec(of object: CELValue) -> CELValue? {
        guard case .string(let kind)? = object.child("kind"), let path = podSpecPath(ofKind: kind) else { return nil }
        var value = object
        for (depth, key) in path.enumerated() {
            switch value.child(key) {
            case nil, .null?: return nil
            case .map(let map)?: value = .map(map)
            case let other?:
                let field = path[...depth].joined(separator: ".")
                return .error(CELEvalError("\(kind) \(field) is a \(other.celType.name), not a mapping"))
            }
        }
        return value
    }
}
