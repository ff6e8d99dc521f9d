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
        var all: [CELValue] = []
        for field in ["containers", "initContainers", "ephemeralContainers"] {
            guard case .list(let list)? = spec.child(field) else { continue }
            for index in 0..<list.count { all.append(list[index]) }
        }
        return all
    }

    /// Path from the object to its pod spec, by kind.
    private static let podSpecPaths: [String: [String]] = [
        "Pod": ["spec"],
        "PodTemplate": ["template", "spec"],
        "Deployment": ["spec", "template", "spec"],
        "ReplicaSet": ["spec", "template", "spec"],
        "ReplicationController": ["spec", "template", "spec"],
        "StatefulSet": ["spec", "template", "spec"],
        "DaemonSet": ["spec", "template", "spec"],
        "Job": ["spec", "template", "spec"],
        "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
    ]

    /// The pod spec of a workload object, or nil for other kinds or when absent.
    static func podSpec(of object: CELValue) -> CELValue? {
        guard case .string(let kind)? = object.child("kind"), let path = podSpecPaths[kind] else { return nil }
        var value = object
        for key in path {
            guard let next = value.child(key), case .map = next else { return nil }
            value = next
        }
        return value
    }
}
