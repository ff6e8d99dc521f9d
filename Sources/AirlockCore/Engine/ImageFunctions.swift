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
/// `capacity` distinct references new ones are parsed every time instead of being kept. Swift's
/// string equality is canonical (a Kelvin sign equals `K`): a reference found is used only when
/// its bytes are those asked for, and one that is not is parsed for itself.
private final class ImageFactCache: @unchecked Sendable {
    private let lock = NSLock()
    private var facts: [String: (text: String, facts: CELValue)] = [:]
    private let capacity = 1 << 16

    func facts(of text: String) -> CELValue {
        lock.lock()
        let cached = facts[text]
        lock.unlock()
        if let cached {
            if Self.sameBytes(cached.text, text) { return cached.facts }
            return Self.parse(text)
        }
        let parsed = Self.parse(text)
        lock.lock()
        if facts.count < capacity { facts[text] = (text, parsed) }
        lock.unlock()
        return parsed
    }

    private static func sameBytes(_ first: String, _ second: String) -> Bool {
        var (first, second) = (first, second)
        return first.withUTF8 { one in second.withUTF8 { other in one.count == other.count && (one.count == 0 || memcmp(one.baseAddress!, other.baseAddress!, one.count) == 0) } }
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
