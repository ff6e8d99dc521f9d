import CEL

/// `image(ref)` and `isImage(ref)`: container image references parsed as the runtime reads them.
/// Several policies parse the same images of every workload, and a cluster repeats a few images
/// across many namespaces, so a reference read again is not parsed again.
public enum ImageFunctions {
    public static var all: [CELFunction] {
        let cache = ImageFactCache()
        return [
            CELFunction(name: "image", kind: .global, arity: 1, resultType: .map(.string, .dyn)) { args in
                guard case .string(let text) = args[0] else { return .err("image(ref) takes a string") }
                return cache.facts(of: text)
            },
            CELFunction(name: "isImage", kind: .global, arity: 1, resultType: .bool) { args in
                guard case .string(let text) = args[0] else { return .bool(false) }
                return .bool(!cache.facts(of: text).isError)
            },
        ]
    }
}

/// Parsed references by their text, shared by the threads of one run.
private struct ImageFactCache {
    private let recent = RecentResults<CELValue>()

    func facts(of text: String) -> CELValue {
        recent.value(of: text, computing: Self.parse)
    }

    /// The CEL map of a reference's parts, or the parse error.
    private static func parse(_ text: String) -> CELValue {
        do throws(ImageReference.ParseError) {
            let reference = try ImageReference(parsing: text)
            return .map([
                "registry": .string(reference.registry),
                "repository": .string(reference.repository),
                "tag": reference.tag.map(CELValue.string) ?? .null,
                "digest": reference.digest.map(CELValue.string) ?? .null,
                "normalized": .string(reference.normalized),
            ])
        } catch {
            return .err(error.description)
        }
    }
}
