import Foundation

/// Perceptually uniform colormaps for heat maps.
public enum Colormap {
    /// Sixteen evenly spaced samples of matplotlib's viridis, from dark purple (0) to yellow (1).
    public static let viridisAnchors: [Color] = [
        "#440154", "#481a6c", "#472f7d", "#414487", "#39568c", "#31688e", "#2a788e", "#23888e",
        "#1f988b", "#22a884", "#35b779", "#54c568", "#7ad151", "#a5db36", "#d2e21b", "#fde725",
    ].map { Color(hex: $0) }

    /// Viridis at `t` in 0...1 (clamped), linearly interpolated between the anchors; NaN gives the missing-data grey.
    public static func viridis(_ t: Double) -> Color {
        guard t.isFinite else { return t.isNaN ? .missing : viridis(t > 0 ? 1 : 0) }
        let anchors = viridisAnchors
        let position = min(max(t, 0), 1) * Double(anchors.count - 1)
        let index = min(Int(position), anchors.count - 2)
        let fraction = position - Double(index)
        let a = anchors[index], b = anchors[index + 1]
        func mix(_ u: UInt8, _ v: UInt8) -> UInt8 {
            UInt8((Double(u) + (Double(v) - Double(u)) * fraction).rounded())
        }
        return Color(r: mix(a.r, b.r), g: mix(a.g, b.g), b: mix(a.b, b.b))
    }
}
