"""A saved page of a county government portal holding one corpus report (used by make_inputs.py).

The layout is the one such portals share: a top bar and a navigation menu, a breadcrumb, a left
column menu, the article (title over two lines, a date/source/hits line, the paragraphs, a data
table), share and print links, related articles, and a footer with 版权所有, ICP备案, 公网安备, the
address and 联系电话; scripts (statistics, a font-size switcher) and styles. Saved as GBK with
``<meta charset=gb2312>`` in the header, as such portals still serve.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "corpus"

# The article's data table: a caption line and rows (cells), also in tests/test_inputs.py.
TABLE_CAPTION = "附表：机关党建主要数据"
TABLE_ROWS = [("项目", "2022年", "2023年"), ("党员人数", "121名", "126名"), ("发展党员", "2名", "3名")]
AFTER_LINE = "三、2024年工作打算"  # the table stands before this heading

PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<meta name="SiteName" content="桐溪镇人民政府" />
<meta name="ColumnName" content="工作报告" />
<meta name="ArticleTitle" content="{title}" />
<meta name="PubDate" content="2024-01-12 09:30" />
<title>{title}_工作报告_桐溪镇人民政府</title>
<link rel="stylesheet" href="/css/common.css" />
<style type="text/css">
body {{ margin: 0; font: 14px/1.8 "Microsoft YaHei", SimSun; }}
.top, .nav, .footer {{ background: #b5121b; color: #fff; }}
.main {{ width: 1200px; margin: 0 auto; }} .left {{ float: left; width: 240px; }}
.article {{ float: right; width: 920px; }} .article p {{ text-indent: 2em; }}
</style>
<script type="text/javascript">
var _hmt = _hmt || [];
(function() {{ var hm = document.createElement("script"); hm.src = "https://hm.example/hm.js?1a2b3c"; document.getElementsByTagName("head")[0].appendChild(hm); }})();
function doZoom(size) {{ document.getElementById("zoom").style.fontSize = size + "px"; }}
</script>
</head>
<body>
<div class="top"><div class="wrap">欢迎访问桐溪镇人民政府网站！ <a href="#">无障碍</a> | <a href="#">长者模式</a> | <a href="#">English</a> | <a href="#">登录</a> <span id="weather">今天：晴 12℃~20℃</span></div></div>
<div class="header"><img src="/images/logo.png" alt="桐溪镇人民政府" /><form action="/search"><input type="text" name="q" value="请输入关键字" /><input type="submit" value="搜索" /></form></div>
<div class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zjtx/">走进桐溪</a></li><li><a href="/ztzl/">专题专栏</a></li>
</ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/gzbg/">工作报告</a></div>
<div class="main">
<div class="left">
<h3>政务公开</h3>
<ul><li><a href="#">政府信息公开指南</a></li><li><a href="#">政府文件</a></li><li class="on"><a href="#">工作报告</a></li>
<li><a href="#">规划计划</a></li><li><a href="#">财政资金</a></li><li><a href="#">人事信息</a></li><li><a href="#">政策解读</a></li></ul>
</div>
<div class="article">
<h1 class="title">{title_html}</h1>
<div class="info">发布时间：2024-01-12 09:30　来源：桐溪镇机关党总支　浏览次数：<span id="hits">1024</span>　字号：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>]</div>
<div class="content" id="zoom">
{paragraphs}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a>　【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="related"><h4>相关文章</h4><ul>
<li><a href="#">桐溪镇2023年政府工作报告</a> 2024-01-10</li>
<li><a href="#">桐溪镇2022年度机关党建工作总结</a> 2023-01-09</li>
<li><a href="#">桐溪镇关于开展第二批主题教育的实施方案</a> 2023-09-05</li>
</ul></div>
</div>
</div>
<div class="footer">
<p><a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">网站声明</a></p>
<p>主办单位：桐溪镇人民政府　承办单位：桐溪镇党政综合办公室</p>
<p>版权所有：桐溪镇人民政府　网站标识码：4310220001　<a href="#">湘ICP备12345678号-1</a>　<a href="#">湘公网安备 43012302000123号</a></p>
<p>地址：桐溪镇人民路1号　联系电话：0736-6123456　邮编：415000</p>
<p><img src="/images/jiucuo.png" alt="政府网站找错" />　<a href="#">扫一扫在手机打开当前页</a></p>
</div>
<script type="text/javascript">document.write('<span id="cnzz">站长统计 访问量 8848</span>');</script>
</body>
</html>
"""


def table_html() -> str:
    head, *body = TABLE_ROWS
    rows = ["<tr>" + "".join(f"<th>{escape(c)}</th>" for c in head) + "</tr>"]
    rows += ["<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in body]
    return (f"<p style=\"text-align:center\"><strong>{escape(TABLE_CAPTION)}</strong></p>\n"
            f"<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\" align=\"center\">\n" + "\n".join(rows) + "\n</table>")


def page_html(stem: str) -> str:
    lines = [x for x in (CORPUS / f"{stem}.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    title_lines, body = lines[:2], lines[2:]
    paragraphs = []
    for line in body:
        if line == AFTER_LINE:
            paragraphs.append(table_html())
        paragraphs.append(f"<p>{escape(line)}</p>")
    return PAGE.format(title="".join(title_lines), title_html="<br />".join(escape(x) for x in title_lines),
                       paragraphs="\n".join(paragraphs))


def make_page(stem: str) -> None:
    (HERE / f"{stem}.html").write_bytes(page_html(stem).encode("gb18030"))
