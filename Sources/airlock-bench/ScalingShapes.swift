import Foundation

/// Inputs shaped to find a step whose time grows faster than the input: many objects meeting in
/// one place (one namespace, one name, one cluster-wide rule), each made at `units` and at four
/// times that. Linear growth takes about 4x as long for 4x the input; quadratic about 16x.
struct ScalingShapes {
    let units: Int
    let runs: Int

    /// A shape: what it holds, and its text for a number of units.
    private struct Shape: Sendable {
        var name: String
        var text: @Sendable (Int) -> String
    }

    private static func documents(_ count: Int, _ document: (Int) -> String) -> String {
        (0..<count).map { "---\n" + document($0) }.joined()
    }

    private static func deployment(_ index: Int, _ namespace: String) -> String {
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d\(index), namespace: \(namespace)}\n"
            + "spec: {template: {spec: {containers: [{name: c, image: 'registry.local:5000/app:1.0'}]}}}\n"
    }

    private static let shapes: [Shape] = [
        Shape(name: "one object defined N times") { n in
            documents(n) { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same, namespace: kube-system}\ndata: {i: '\($0)'}\n" }
        },
        Shape(name: "N LimitRanges and N Deployments in one namespace") { n in
            "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: t}\nspec: {hard: {cpu: '10'}}\n" + documents(n) {
                "apiVersion: v1\nkind: LimitRange\nmetadata: {name: l\($0), namespace: t}\nspec: {limits: [{type: Container, default: {cpu: 100m}}]}\n---\n"
                    + deployment($0, "t")
            }
        },
        Shape(name: "N ResourceQuotas and N Deployments in one namespace") { n in
            documents(n) { "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q\($0), namespace: t}\nspec: {hard: {cpu: '10'}}\n---\n" + deployment($0, "t") }
        },
        Shape(name: "N ClusterRoleBindings of every service account, N classified Namespaces") { n in
            documents(n) {
                "apiVersion: v1\nkind: Namespace\nmetadata: {name: n\($0), labels: {classification: secret}}\n---\n"
                    + "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b\($0)}\n"
                    + "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: Group, name: 'system:serviceaccounts'}]\n"
            }
        },
        Shape(name: "N ClusterRoles aggregated into view, N RoleBindings of view") { n in
            documents(n) {
                "apiVersion: v1\nkind: Namespace\nmetadata: {name: n\($0), labels: {classification: secret}}\n---\n"
                    + "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r\($0), labels: {rbac.authorization.k8s.io/aggregate-to-view: 'true'}}\n"
                    + "rules: [{apiGroups: [''], resources: [configmaps], verbs: [get]}]\n---\n"
                    + "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b\($0), namespace: n\($0)}\n"
                    + "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: ServiceAccount, name: s, namespace: n\($0)}]\n"
            }
        },
        Shape(name: "N PriorityClasses and N Deployments") { n in
            "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: t}\nspec: {hard: {cpu: '10'}}\n" + documents(n) {
                "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: p\($0)}\nvalue: \($0)\n---\n" + deployment($0, "t")
            }
        },
        Shape(name: "N Services and N Deployments naming them in one namespace") { n in
            documents(n) {
                "apiVersion: v1\nkind: Service\nmetadata: {name: s\($0), namespace: t}\nspec: {ports: [{port: 80}]}\n---\n"
                    + "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d\($0), namespace: t}\nspec: {template: {spec: {containers: "
                    + "[{name: c, image: 'registry.local:5000/app:1.0', env: [{name: U, value: 'http://s\($0):80'}]}]}}}\n"
            }
        },
        Shape(name: "one List of N items") { n in
            "apiVersion: v1\nkind: List\nitems:\n" + (0..<n).map { "- {apiVersion: v1, kind: ConfigMap, metadata: {name: c\($0), namespace: t}}\n" }.joined()
        },
        Shape(name: "one Deployment of N containers") { n in
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: t}\nspec:\n  template:\n    spec:\n      containers:\n"
                + (0..<n).map { "      - {name: c\($0), image: 'registry.local:5000/app:\($0)', env: [{name: U, value: 'http://x\($0).t.svc:80'}]}\n" }.joined()
        },
        Shape(name: "one Argo Workflow of N templates (a custom resource's containers)") { n in
            "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w, namespace: t}\nspec:\n  templates:\n"
                + (0..<n).map {
                    "  - {name: s\($0), container: {image: 'registry.local:5000/step:\($0)', env: [{name: U, value: 'http://x\($0).t.svc:80'}]}}\n"
                }.joined()
        },
    ]

    /// Times `airlock check --tier edge` on each shape at `units` and four times that (the minimum
    /// of `runs`), and prints both and their ratio.
    func run(airlock: String) throws {
        guard units > 0 else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-bench-shapes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        print("\nscaling: whole `airlock check` on inputs of N = \(units) and 4N units (min of \(runs) runs); linear is about 4x, start-up included")
        for (index, shape) in Self.shapes.enumerated() {
            let seconds = try [units, 4 * units].map { count in
                let file = folder.appendingPathComponent("shape-\(index)-\(count).yaml")
                try Data(shape.text(count).utf8).write(to: file)
                return try (0..<runs).map { _ in try ChildRun.run(airlock, ["check", "--tier", "edge", file.path]).seconds }.min() ?? 0
            }
            let ratio = seconds[1] / seconds[0]
            let name = shape.name.padding(toLength: 72, withPad: " ", startingAt: 0)
            print("  \(name)" + String(format: " N %7.3f s  4N %7.3f s  %5.1fx", seconds[0], seconds[1], ratio) + (ratio > 8 ? "  SUPERLINEAR" : ""))
        }
    }
}
