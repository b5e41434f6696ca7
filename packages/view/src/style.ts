/** The page's style: the diagram fills the window, the toolbar on top, the panel on the right. */
export const PAGE_STYLE = `
html,body{margin:0;height:100%;font-family:'DejaVu Sans',Verdana,sans-serif;font-size:13px;color:#1a1a1a}
#app{display:grid;grid-template-columns:1fr minmax(380px,32vw);grid-template-rows:auto 1fr;height:100vh}
#toolbar{grid-column:1/3;display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:6px 10px;border-bottom:1px solid #ccc;background:#f6f6f6}
#toolbar input[type=search]{width:260px}
#toolbar label{white-space:nowrap}
#canvas{overflow:hidden;position:relative;background:#fff;outline:none}
#canvas:focus-visible{box-shadow:inset 0 0 0 2px #3b6fd8}
#canvas>svg{width:100%;height:100%;display:block;cursor:grab}
#panel{overflow:auto;border-left:1px solid #ccc;padding:8px 12px;background:#fcfcfc}
#panel h2{font-size:15px;margin:4px 0 8px}
#panel h3{font-size:13px;margin:12px 0 4px}
#panel table{border-collapse:collapse;width:100%;table-layout:fixed}
#panel col.dir{width:52px}
#panel col.ports{width:70px}
#panel td,#panel th{text-align:left;vertical-align:top;padding:3px 4px;border-bottom:1px solid #e4e4e4;font-size:12px;overflow-wrap:anywhere}
#panel .rule{display:block;color:#444}
#panel .at{color:#777}
#panel ul.collapsed{margin:4px 0;padding-left:0;list-style:none;max-height:40vh;overflow:auto}
#panel ul.collapsed li{margin:2px 0}
#panel ul.members{margin:4px 0;padding-left:18px;max-height:30vh;overflow:auto;font-size:12px}
#panel p.open{background:#eef3fc;padding:6px;border:1px solid #c9d7f2}
#open-namespace{font-weight:bold}
#panel pre{white-space:pre-wrap;font-size:12px;background:#f2f2f2;padding:6px}
.search{position:relative}
#results{position:absolute;z-index:2;top:100%;left:0;margin:0;padding:0;list-style:none;background:#fff;border:1px solid #aaa;max-height:320px;overflow:auto;width:360px}
#results li{padding:3px 6px;cursor:pointer}
#results li[aria-selected=true]{background:#dbe6fb}
#results li .kind{color:#777;font-size:11px;margin-left:6px}
svg .nd-dim{opacity:.15}
svg .nd-hidden{display:none}
svg .nd-focus path{stroke-width:3px}
svg g.node.nd-selected,svg g.namespace.nd-selected{filter:drop-shadow(0 0 3px #3b6fd8) drop-shadow(0 0 3px #3b6fd8)}
svg g.node,svg g.edge,svg g.namespace{cursor:pointer}
`;
