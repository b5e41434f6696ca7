// svg-to-pdfkit ships no types; this is the part of its API that pdf.ts uses (see its README).
declare module 'svg-to-pdfkit' {
  interface SvgToPdfkitOptions {
    /** Take SVG units as points rather than CSS pixels (72/96 pt). */
    readonly assumePt?: boolean;
    /** The name of a font registered in the document, for a text element's family and weight. */
    readonly fontCallback?: (family: string, bold: boolean, italic: boolean, fontOptions: { fauxBold: boolean; fauxItalic: boolean }) => string;
    /** Called with a sentence for each part of the SVG that cannot be drawn. */
    readonly warningCallback?: (warning: string) => void;
  }
  function svgToPdfkit(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, options?: SvgToPdfkitOptions): void;
  export = svgToPdfkit;
}
