import CEL
import Foundation

/// A moment written as a UTC calendar date and time of day, without Foundation's `Calendar` or
/// `DateFormatter`: those load ICU, which added 5.5 MB to every run's resident memory for two
/// strings (today's date and the JUnit timestamp).
public struct UTCDateTime: Sendable, Equatable {
    public let year: Int64, month: Int64, day: Int64
    public let hour: Int64, minute: Int64, second: Int64

    /// The UTC date and time of `date`, to the second (rounded down), clamped to years 1 to 9999.
    public init(_ date: Date) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let clamped = Int64(min(max(seconds, Double(CELTimestamp.minSeconds)), Double(CELTimestamp.maxSeconds)))
        let parts = CELTimestamp(seconds: clamped)!.utcComponents
        (year, month, day) = (parts.year, parts.month, parts.day)
        (hour, minute, second) = (parts.hour, parts.minute, parts.second)
    }

    /// `2024-01-31`.
    public var date: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }
    /// `2024-01-31T09:05:00`, without a zone designator.
    public var dateTime: String { "\(date)T\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))" }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
