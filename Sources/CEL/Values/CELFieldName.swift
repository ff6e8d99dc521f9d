/// The field of a selection `m.f`, made once when the selection is planned: its name as a map key
/// (and normalized), and its UTF-8 bytes, which stay where they are while the field lives, so that
/// a host whose maps keep their keys as bytes (a YAML document) compares them without a string.
public final class CELFieldName: @unchecked Sendable {
    public let name: String
    /// The name as a map key.
    public let key: CELValue
    public let normalized: CELMapKey
    public let utf8: UnsafeBufferPointer<UInt8>

    init(_ name: String) {
        self.name = name
        key = .string(name)
        normalized = .string(name)
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: name.utf8.count)
        _ = bytes.initialize(from: name.utf8)
        utf8 = UnsafeBufferPointer(bytes)
    }

    deinit { UnsafeMutableBufferPointer(mutating: utf8).deallocate() }
}
