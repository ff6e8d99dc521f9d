/// What an archive or folder entry is. Raw values are what policies see.
public enum ArchiveEntryType: String, Sendable, Hashable, Codable, CaseIterable {
    case file
    case directory
    case symlink
    case hardlink
    case characterDevice = "char-device"
    case blockDevice = "block-device"
    case fifo
    case socket
    case other

    /// Device nodes, FIFOs and sockets: never expected in a package or bundle.
    public var isSpecial: Bool {
        switch self {
        case .characterDevice, .blockDevice, .fifo, .socket, .other: return true
        case .file, .directory, .symlink, .hardlink: return false
        }
    }

    /// The type encoded in the `S_IFMT` bits of a POSIX mode.
    public init(posixMode mode: UInt32) {
        switch mode & 0o170000 {
        case 0o100000: self = .file
        case 0o040000: self = .directory
        case 0o120000: self = .symlink
        case 0o020000: self = .characterDevice
        case 0o060000: self = .blockDevice
        case 0o010000: self = .fifo
        case 0o140000: self = .socket
        default: self = .other
        }
    }
}
