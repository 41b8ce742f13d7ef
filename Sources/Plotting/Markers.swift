import Foundation

extension MarkerShape {
    /// Draws this marker centred at (`x`, `y`) with half-size `radius`; fill and stroke come from the enclosing group.
    func draw(into svg: inout SVGBuilder, x: Double, y: Double, radius r: Double) {
        switch self {
        case .circle:
            svg.element("circle", [("cx", svgNumber(x)), ("cy", svgNumber(y)), ("r", svgNumber(r))])
        case .square:
            let side = r * 1.7
            svg.rect(x - side / 2, y - side / 2, side, side)
        case .triangle:
            let h = r * 1.25
            svg.element("path", [("d", "M\(svgNumber(x)) \(svgNumber(y - h))L\(svgNumber(x + h * 0.95)) \(svgNumber(y + h * 0.7))"
                + "L\(svgNumber(x - h * 0.95)) \(svgNumber(y + h * 0.7))Z")])
        case .triangleDown:
            let h = r * 1.25
            svg.element("path", [("d", "M\(svgNumber(x)) \(svgNumber(y + h))L\(svgNumber(x + h * 0.95)) \(svgNumber(y - h * 0.7))"
                + "L\(svgNumber(x - h * 0.95)) \(svgNumber(y - h * 0.7))Z")])
        case .diamond:
            let h = r * 1.3
            svg.element("path", [("d", "M\(svgNumber(x)) \(svgNumber(y - h))L\(svgNumber(x + h * 0.8)) \(svgNumber(y))"
                + "L\(svgNumber(x)) \(svgNumber(y + h))L\(svgNumber(x - h * 0.8)) \(svgNumber(y))Z")])
        case .none:
            break
        }
    }
}
