import CEL
import Foundation

/// `image(ref)` and `isImage(ref)`: container image references parsed as the runtime reads them.
/// Several policies parse the same images of every workload, and a cluster repeats a few images
/// across many namespaces, so each distinct reference is parsed once per run.
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

/// Parsed references by their text, shared by the threads of one run. Bounded: past
/// `capacity` distinct references new ones are parsed every time instead of being kept.
private final class ImageFactCache: @unchecked Sendable {
    private let lock = NSLock()
    private var facts: [ReferenceText: CELValue] = [:]
    private let capacity = 1 << 16

    /// A reference's text as a key compared and hashed by its bytes: Swift's string equality is
    /// canonical (a Kelvin sign equals `K`), and its hashing, which must agree with it, cost more
    /// than the rest of a lookup.
    private struct ReferenceText: Hashable {
        var text: String

        static func == (left: ReferenceText, right: ReferenceText) -> Bool {
            var (left, right) = (left.text, right.text)
            return left.withUTF8 { one in right.withUTF8 { other in one.count == other.count && (one.count == 0 || memcmp(one.baseAddress!, other.baseAddress!, one.count) == 0) } }
        }

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    func facts(of text: String) -> CELValue {
        let key = ReferenceText(text: text)
        lock.lock()
        let cached = facts[key]
        lock.unlock()
        if let cached { return cached }
        let parsed = Self.parse(text)
        lock.lock()
        if facts.count < capacity { facts[key] = parsed }
        lock.unlock()
        return parsed
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
