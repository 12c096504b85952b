"""province.html: what a provincial information department prioritises from.

Every commune's summary and one table of every dead-zone hamlet of the province (commune, hamlet, households without
service, score, first plan step), sortable by any column, with links to each commune's files. One self-contained page
(no network), in the language asked for; its words come from the library's message catalogues (resources/i18n/*.po).
"""

from __future__ import annotations

import datetime
import html
import math
import os
from typing import Dict, List, Optional

from . import _core


def _words(language: str):
    catalogue = _core.message_catalogue(language)

    def word(key: str, **values) -> str:
        text = catalogue[key] if key in catalogue else None
        if text is None:
            raise _core.InvalidArgument(f"message catalogue of '{language}' lacks the message '{key}'")
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text

    def number(value: float, decimals: int = 0) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        text = f"{value:,.{decimals}f}"
        group, point = catalogue["format.group_separator"], catalogue["format.decimal_separator"]
        return text.replace(",", "\x00").replace(".", point).replace("\x00", group)

    return word, number


def _first_step(plan, hamlet: str) -> Optional[dict]:
    """The first chosen plan step that reaches a hamlet, as a row of plan.csv."""
    if plan is None:
        return None
    chosen = plan[plan["status"] == "chosen"].sort_values("step")
    for _, row in chosen.iterrows():
        if hamlet in [h.strip() for h in str(row["hamlets"]).split(";")]:
            return row
    return None


def province_page(result, language: str = "vi") -> str:
    """The page's HTML for a ProvinceResult (libcoverage.distributed.run_province)."""
    word, number = _words(language)
    e = html.escape
    communes: List[str] = []
    dead: List[Dict] = []
    done = 0
    households_without = 0.0
    for c in result.communes:
        folder = os.path.relpath(c.out_dir, result.out_dir)
        # the commune's report in this page's language: report.html when the study is written in it, else its copy
        page_file = f"report.{language}.html" if os.path.isfile(os.path.join(c.out_dir, f"report.{language}.html")) else "report.html"
        link = (f'<a href="{e(folder)}/{page_file}">{e(word("province.link.report"))}</a>'
                if os.path.isfile(os.path.join(c.out_dir, page_file))
                else f'<a href="{e(folder)}/priorities.csv">priorities.csv</a>, <a href="{e(folder)}/hamlets.csv">hamlets.csv</a>')
        if not c.ok:
            communes.append(f"<tr class=\"failed\"><td>{e(c.name)}</td><td>{e(word('province.status.failed', error=c.error))}</td>"
                            + "<td></td>" * 6 + "</tr>")
            continue
        done += 1
        h = c.hamlets
        served_columns = [col for col in h.columns if col.startswith("lte_households_at_least_")]
        without = float((h["households"] - h[served_columns[0]]).sum()) if served_columns else math.nan
        households_without += 0.0 if math.isnan(without) else without
        chosen = c.plan[c.plan["status"] == "chosen"] if c.plan is not None else None
        plan_households = float(chosen["households_new"].sum()) if chosen is not None else math.nan
        plan_cost = float(chosen["cost_usd"].sum()) if chosen is not None else math.nan
        communes.append(
            f"<tr><td>{e(c.name)}</td><td>{e(word('province.status.ok'))}</td>"
            f"<td class=\"n\" data-v=\"{len(h)}\">{number(len(h))}</td>"
            f"<td class=\"n\" data-v=\"{int(h['dead_zone'].sum())}\">{number(int(h['dead_zone'].sum()))}</td>"
            f"<td class=\"n\" data-v=\"{without}\">{number(without)}</td>"
            f"<td class=\"n\" data-v=\"{plan_households}\">{number(plan_households)}</td>"
            f"<td class=\"n\" data-v=\"{plan_cost}\">{number(plan_cost)}</td><td>{link}</td></tr>")
        for _, p in c.priorities.iterrows():
            step = _first_step(c.plan, p["name"])
            dead.append({"commune": c.name, "hamlet": p["name"], "unserved": float(p["households_unserved"]),
                         "score": float(p["score"]), "rank": int(p["rank"]), "link": link,
                         "step": word("province.step", step=int(step["step"]), name=step["name"],
                                      cost=number(float(step["cost_usd"])) + " USD") if step is not None
                         else word("province.no_step"),
                         "step_order": int(step["step"]) if step is not None else 10 ** 6})
    dead.sort(key=lambda d: (-d["score"], -d["unserved"], d["commune"], d["hamlet"]))
    rows = "\n".join(
        f"<tr><td class=\"n\" data-v=\"{i}\">{i}</td><td>{e(d['commune'])}</td><td>{e(d['hamlet'])}</td>"
        f"<td class=\"n\" data-v=\"{d['unserved']}\">{number(d['unserved'])}</td>"
        f"<td class=\"n\" data-v=\"{d['score']}\">{number(d['score'])}</td>"
        f"<td class=\"n\" data-v=\"{d['rank']}\">{d['rank']}</td>"
        f"<td data-v=\"{d['step_order']}\">{e(d['step'])}</td><td>{d['link']}</td></tr>" for i, d in enumerate(dead, 1))
    other = [lang for lang in _core.message_languages() if lang != language]
    switch = " ".join(f'<a href="province.{lang}.html">{e(_core.message_catalogue(lang)["language.name"])}</a>' for lang in other)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    when = word("format.date_time", year=now[0:4], month=now[5:7], day=now[8:10], hour=now[11:13], minute=now[14:16])
    th = lambda key, numeric=False: f'<th class="{"n" if numeric else ""}">{e(word(key))}</th>'  # noqa: E731
    return f"""<!DOCTYPE html>
<html lang="{e(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(word("province.page_title", name=result.name))}</title>
<style>
body{{font-family:"Noto Sans",system-ui,sans-serif;max-width:1200px;margin:0 auto;padding:1em 1.5em;color:#222;line-height:1.45}}
.lang{{float:right}} table{{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.93em}}
th,td{{border:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}} th{{background:#eef1f4;cursor:pointer}}
th.n,td.n{{text-align:right}} th[aria-sort]::after{{content:" ▲"}} th[aria-sort=descending]::after{{content:" ▼"}}
tr.failed td{{background:#fdecea}} footer{{margin-top:2em;color:#666;font-size:.85em}}
</style>
</head>
<body>
<p class="lang">{switch}</p>
<h1>{e(word("province.page_title", name=result.name))}</h1>
<p>{e(word("province.intro", done=done, total=len(result.communes), dead=number(len(dead)), households=number(households_without)))}</p>
<h2>{e(word("province.heading.dead_zones"))}</h2>
<p>{e(word("province.score_note"))}</p>
<table class="sortable" id="dead-zones">
<thead><tr><th class="n">#</th>{th("province.col.commune")}{th("province.col.hamlet")}{th("province.col.without_service", True)}{th("province.col.score", True)}{th("province.col.rank_in_commune", True)}{th("province.col.first_step")}{th("province.col.files")}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
<h2>{e(word("province.heading.communes"))}</h2>
<table class="sortable" id="communes">
<thead><tr>{th("province.col.commune")}{th("province.col.status")}{th("province.col.hamlets", True)}{th("province.col.dead_zones", True)}{th("province.col.without_service", True)}{th("province.col.plan_households", True)}{th("province.col.plan_cost", True)}{th("province.col.files")}</tr></thead>
<tbody>
{chr(10).join(communes)}
</tbody>
</table>
<footer>{e(word("province.footer", version=_core.__version__, when=when))}</footer>
<script>
// Click a column heading to sort by it (again to reverse); numbers by value, words in the page's language.
document.querySelectorAll("table.sortable").forEach(function (table) {{
  table.querySelectorAll("th").forEach(function (th, col) {{
    th.addEventListener("click", function () {{
      const down = th.getAttribute("aria-sort") === "ascending";
      table.querySelectorAll("th").forEach(function (o) {{ o.removeAttribute("aria-sort"); }});
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      const body = table.tBodies[0];
      const key = function (tr) {{ const td = tr.children[col]; return td.dataset.v !== undefined ? parseFloat(td.dataset.v) : td.textContent; }};
      const rows = Array.from(body.rows).sort(function (a, b) {{
        const x = key(a), y = key(b);
        const c = typeof x === "number" && typeof y === "number" ? (isNaN(x) ? 1 : isNaN(y) ? -1 : x - y) : String(x).localeCompare(String(y), document.documentElement.lang);
        return down ? -c : c;
      }});
      rows.forEach(function (r) {{ body.appendChild(r); }});
    }});
  }});
}});
</script>
</body>
</html>
"""


def write_province_pages(result, language: str = "vi") -> List[str]:
    """province.html in `language` and province.<other>.html in each other language, in result.out_dir; their paths."""
    paths = []
    for lang in [language] + [x for x in _core.message_languages() if x != language]:
        path = os.path.join(result.out_dir, "province.html" if lang == language else f"province.{lang}.html")
        page = province_page(result, lang)
        # the language links point at province.<lang>.html: the page in `language` is province.html
        page = page.replace(f'href="province.{language}.html"', 'href="province.html"')
        tmp = path + ".part"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(page)
        os.replace(tmp, path)
        paths.append(path)
    return paths
