import CEL

/// Generic fact functions: for resource policies the namespaces service addresses name
/// (`ServiceAddresses`), a NetworkPolicy's types as Kubernetes defaults them
/// (`NetworkPolicyTypes`), the URL an address value is read as (`AddressURL`) and whether a value is
/// an amount of a resource (`isResourceAmount`); for package and
/// bundle policies `isPrerelease()` on the CEL library's Kubernetes `semver()` values (`semver()`,
/// `isSemver()`, `major()`, ... are Kubernetes' own and are not replaced here), npm ranges, SPDX
/// expressions, DNS labels and reachability in a dependency graph. They parse and compute; what
/// counts as a violation is always written in a policy.
public enum FactFunctions {
    public static let all: [CELFunction] = ServiceAddresses.functions + NetworkPolicyTypes.functions + AddressURL.functions + [
        CELFunction(name: "isPrerelease", kind: .receiver, arity: 1, resultType: .bool) { args in
            guard case .opaque(let value as SemanticVersion) = args[0] else { return .err("isPrerelease() applies to semver(...) values") }
            return .bool(value.isPrerelease)
        },
        CELFunction(name: "isResourceAmount", kind: .global, arity: 1, resultType: .bool) { args in
            .bool(CELQuantity.isResourceAmount(args[0]))
        },
        CELFunction(name: "isVersionRange", kind: .global, arity: 1, resultType: .bool) { args in
            guard case .string(let text) = args[0] else { return .bool(false) }
            return .bool((try? VersionRange(text)) != nil)
        },
        CELFunction(name: "satisfies", kind: .global, arity: 2, resultType: .bool) { args in
            let version: SemanticVersion
            switch args[0] {
            case .opaque(let value as SemanticVersion): version = value
            case .string(let text):
                guard let parsed = SemanticVersion(text) else { return .err("satisfies: invalid version \"\(text)\"") }
                version = parsed
            default: return .err("satisfies(version, range) takes a version string or semver and a range string")
            }
            guard case .string(let rangeText) = args[1] else { return .err("satisfies(version, range): the range must be a string") }
            do throws(VersionSyntaxError) {
                return .bool(try VersionRange(rangeText).satisfies(version))
            } catch {
                return .err(error.description)
            }
        },
        CELFunction(name: "isSPDX", kind: .global, arity: 1, resultType: .bool) { args in
            guard case .string(let text) = args[0] else { return .bool(false) }
            return .bool(SPDXExpression.isValid(text))
        },
        CELFunction(name: "isDNSLabel", kind: .global, arity: 1, resultType: .bool) { args in
            guard case .string(let text) = args[0] else { return .bool(false) }
            return .bool(isDNSLabel(text))
        },
        CELFunction(name: "reachable", kind: .global, arity: 2, resultType: .list(.string)) { args in
            guard case .map(let graph) = args[0], case .string(let start) = args[1] else {
                return .err("reachable(graph, start) takes a map of names to lists of names and a name")
            }
            return reachable(graph, from: start)
        },
    ]

    /// An RFC 1123 label: 1-63 lower-case letters, digits and `-`, starting and ending alphanumeric.
    public static func isDNSLabel(_ text: String) -> Bool {
        KubernetesNameRules.dns1123LabelErrors(text).isEmpty
    }

    /// Names reachable from `start` over one or more edges, in breadth-first order (`start`
    /// itself only when it lies on a cycle).
    static func reachable(_ graph: CELMap, from start: String) -> CELValue {
        var seen: Set<String> = []
        var order: [CELValue] = []
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            guard case .list(let edges)? = graph.value(forKey: .string(node)) else { continue }
            for index in 0..<edges.count {
                guard case .string(let next) = edges[index] else { return .err("reachable: graph edges must be strings") }
                if seen.insert(next).inserted {
                    order.append(.string(next))
                    queue.append(next)
                }
            }
        }
        return .list(order)
    }
}
