import CEL

/// Where Kubernetes workloads keep their pod spec, as facts for policies: `podSpec(object)` and
/// `containers(object)`. Every workload kind nests the pod spec differently; policies should not
/// each repeat that, and the elements keep their positions for findings.
public enum WorkloadFunctions {
    public static let all: [CELFunction] = [
        CELFunction(name: "podSpec", kind: .global, arity: 1) { args in podSpec(of: args[0]) ?? .null },
        CELFunction(name: "containers", kind: .global, arity: 1) { args in .list(containers(of: args[0])) },
    ]

    /// The containers, init containers and ephemeral containers of a workload object, in that order.
    static func containers(of object: CELValue) -> [CELValue] {
        guard let spec = podSpec(of: object) else { return [] }
        let lists = [spec.child("containers"), spec.child("initContainers"), spec.child("ephemeralContainers")].compactMap { value -> CELList? in
            if case .list(let list)? = value { return list }
            return nil
        }
        var all: [CELValue] = []
        all.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists {
            for index in 0..<list.count { all.append(list[index]) }
        }
        return all
    }

    /// Path from the object to its pod spec, by kind (a switch: it is asked for every workload
    /// by several policies, and hashing the kind cost more than the walk).
    private static func podSpecPath(ofKind kind: String) -> [String]? {
        switch kind {
        case "Pod": return ["spec"]
        case "PodTemplate": return ["template", "spec"]
        case "Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job": return ["spec", "template", "spec"]
        case "CronJob": return ["spec", "jobTemplate", "spec", "template", "spec"]
        default: return nil
        }
    }

    /// The pod spec of a workload object, or nil for other kinds or when absent.
    static func podSpec(of object: CELValue) -> CELValue? {
        guard case .string(let kind)? = object.child("kind"), let path = podSpecPath(ofKind: kind) else { return nil }
        var value = object
        for key in path {
            guard let next = value.child(key), case .map = next else { return nil }
            value = next
        }
        return value
    }
}
