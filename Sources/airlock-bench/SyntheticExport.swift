/// A deterministic synthetic cluster export: per tenant namespace a Namespace, workloads with
/// several containers, ResourceQuota, LimitRange, BudgetQuota, NetworkPolicies, Role/RoleBinding,
/// Services, ConfigMaps and a KAgent, with a few percent of them violating each category.
struct SyntheticExport {
    let seed: UInt64
    let namespaces: Int

    /// Multi-document YAML, split into files of `namespacesPerFile` namespaces each.
    func files(namespacesPerFile: Int = 250) -> [(name: String, text: String)] {
        var random = SplitMix(seed: seed)
        var files: [(String, String)] = []
        var current = ""
        for index in 0..<namespaces {
            current += namespace(index, random: &random)
            if (index + 1) % namespacesPerFile == 0 || index == namespaces - 1 {
                files.append(("export-\(files.count).yaml", current))
                current = ""
            }
        }
        return files
    }

    private func namespace(_ index: Int, random: inout SplitMix) -> String {
        let name = "team-\(index)"
        let levels = ["unclassified", "secret", "top-secret"]
        let level = levels[index % 3]
        func violate(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        let registry = violate(3) ? "docker.io" : "registry.local:5000"
        let tag = violate(3) ? "latest" : "1.\(index % 7).0"
        var text = """
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: \(name)
              labels:
                team: \(name)
                classification: \(level)

            """
        if !violate(2) {
            text += """
                ---
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: quota, namespace: \(name)}
                spec:
                  hard: {requests.cpu: "8", requests.memory: 16Gi, limits.cpu: "16", limits.memory: 32Gi, pods: "50", requests.nvidia.com/gpu: "2"}
                ---
                apiVersion: v1
                kind: LimitRange
                metadata: {name: limits, namespace: \(name)}
                spec:
                  limits:
                  - type: Container
                    default: {cpu: 500m, memory: 512Mi}
                    defaultRequest: {cpu: 100m, memory: 128Mi}
                    max: {cpu: "8", memory: 32Gi}

                """
        }
        text += """
            ---
            apiVersion: fractal.ai/v1alpha1
            kind: BudgetQuota
            metadata: {name: budget, namespace: \(name)}
            spec:
              limits: {maxTotalTokens: 1000000, maxTotalCost: "$100.00", maxConcurrentRuns: 5}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: default-deny, namespace: \(name)}
            spec:
              podSelector: {}
              policyTypes: [Ingress, Egress]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: same-level, namespace: \(name)}
            spec:
              podSelector: {}
              policyTypes: [Ingress]
              ingress:
              - from:
                - namespaceSelector:
                    matchLabels: {classification: \(violate(2) ? "unclassified" : level)}

            """
        text += """
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: agent, namespace: \(name)}
            rules:
            - apiGroups: [fractal.ai]
              resources: [shardruns, toolcalls]
              verbs: [get, list, create]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: agent, namespace: \(name)}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: agent}
            subjects:
            - kind: ServiceAccount
              name: agent
              namespace: \(violate(2) ? "team-\((index + 1) % max(1, namespaces))" : name)

            """
        for workload in 0..<3 {
            text += """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app-\(workload)
                  namespace: \(name)
                  labels: {app: app-\(workload), team: \(name)}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: app-\(workload)}}
                  template:
                    metadata: {labels: {app: app-\(workload)}}
                    spec:
                      hostNetwork: \(violate(1) ? "true" : "false")
                      containers:

                """
            for container in 0..<3 {
                text += """
                          - name: c\(container)
                            image: \(registry)/platform/app-\(workload)-\(container):\(tag)
                            ports: [{containerPort: \(8080 + container)}]
                            env:
                            - {name: MODE, value: production}
                            - {name: ENDPOINT, value: "http://svc-\(container).\(name).svc.cluster.local"}
                            resources:
                              requests: {cpu: 100m, memory: 128Mi}
                              limits: {cpu: 500m, memory: 512Mi}

                    """
            }
            text += """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: app-\(workload), namespace: \(name)}
                spec:
                  type: \(violate(1) ? "LoadBalancer" : "ClusterIP")
                  selector: {app: app-\(workload)}
                  ports: [{port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app-\(workload)-config, namespace: \(name)}
                data: {LOG_LEVEL: info, FEATURE_FLAGS: "a,b,c", TIMEOUT: "30s"}

                """
        }
        text += """
            ---
            apiVersion: fractal.ai/v1alpha1
            kind: KAgent
            metadata: {name: analyst, namespace: \(name)}
            spec:
              image: \(registry)/agents/analyst:\(tag)
              model: {provider: local, name: mistral-7b}
              classification: {level: \(level), allowedDataSources: [\(level)-warehouse], deniedDataSources: []}
              networking: {egress: {allowed: false}}
              audit: {enabled: true, logLevel: info, destination: audit-log}

            """
        return text
    }
}

/// A small, fast, seedable generator so that every run builds the same export.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
