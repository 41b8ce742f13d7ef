import Foundation

/// An opaque sRGB colour.
public struct Color: Sendable, Equatable, Hashable {
    /// Red component.
    public var r: UInt8
    /// Green component.
    public var g: UInt8
    /// Blue component.
    public var b: UInt8

    /// Creates a colour from its 8-bit components.
    public init(r: UInt8, g: UInt8, b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// Creates a colour from `"#rrggbb"`, `"rrggbb"` or `"#rgb"`; invalid input gives black.
    public init(hex: String) {
        var digits = hex.trimmingCharacters(in: .whitespaces)
        if digits.hasPrefix("#") { digits.removeFirst() }
        if digits.count == 3 {
            digits = digits.map { "\($0)\($0)" }.joined()
        }
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else {
            self.init(r: 0, g: 0, b: 0)
            return
        }
        self.init(r: UInt8((value >> 16) & 0xFF), g: UInt8((value >> 8) & 0xFF), b: UInt8(value & 0xFF))
    }

    /// The colour as `#rrggbb` (lower-case).
    public var hexString: String {
        let digits = Array("0123456789abcdef")
        var result = "#"
        for component in [r, g, b] {
            result.append(digits[Int(component >> 4)])
            result.append(digits[Int(component & 0x0F)])
        }
        return result
    }

    /// Eight distinguishable colours for series (Tableau 10, first eight).
    public static let palette: [Color] = [
        Color(hex: "#4e79a7"), Color(hex: "#f28e2b"), Color(hex: "#e15759"), Color(hex: "#76b7b2"),
        Color(hex: "#59a14f"), Color(hex: "#edc948"), Color(hex: "#b07aa1"), Color(hex: "#ff9da7"),
    ]

    /// Colours that stand out on top of the viridis colormap, used for heat-map overlays.
    public static let overlayPalette: [Color] = [
        Color(hex: "#e41a1c"), Color(hex: "#000000"), Color(hex: "#ff7f00"),
        Color(hex: "#f781bf"), Color(hex: "#17becf"), Color(hex: "#a65628"),
    ]

    /// Black.
    public static let black = Color(r: 0, g: 0, b: 0)
    /// White.
    public static let white = Color(r: 255, g: 255, b: 255)
    /// Light grey used for missing heat-map cells.
    public static let missing = Color(hex: "#d9d9d9")
}
