#!/usr/bin/env python3
"""Writes xlsx_handmade.xlsx: an .xlsx whose XML parts are written by hand to exercise what
libxlsxwriter never produces: prefixed element names, single-quoted attributes, an absolute
relationship target, a first sheet that is not sheet1.xml, inline and rich-text strings,
phonetic runs, entities, numeric references, _xHHHH_ escapes, CDATA, cells and rows without
references, and every entry STORED (uncompressed). Run from the repo root:
    python3 tests/unit/data/xlsx_gen_handmade.py tests/unit/data/xlsx_handmade.xlsx
"""
import sys
import zipfile

NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'

parts = {}
parts['[Content_Types].xml'] = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '</Types>')
parts['_rels/.rels'] = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
# The first sheet in workbook order is rId7 (data.xml); sheet1.xml is the second one.
parts['xl/workbook.xml'] = (
    '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<x:workbook xmlns:x="{NS}" xmlns:r="{RNS}">\n'
    '  <!-- a comment with <sheet r:id="rId1"/> inside must be skipped -->\n'
    '  <x:sheets>\n'
    "    <x:sheet name='数据' sheetId='5' r:id='rId7' />\n"
    '    <x:sheet name="Other" sheetId="1" r:id="rId1"/>\n'
    '  </x:sheets>\n'
    '</x:workbook>\n')
parts['xl/_rels/workbook.xml.rels'] = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f"<Relationship Target='/xl/worksheets/data.xml' Id='rId7' Type='{REL}/worksheet'/>"
    f'<Relationship Id="rId9" Type="{REL}/sharedStrings" Target="./strings/../sharedStrings.xml"/>'
    '</Relationships>')
parts['xl/sharedStrings.xml'] = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<sst xmlns="{NS}" count="6" uniqueCount="6">\n'
    # 0: plain
    '<si><t>普通文本</t></si>\n'
    # 1: rich text runs with formatting, plus a phonetic run that must be ignored
    '<si><r><rPr><b/><sz val="11"/><color rgb="FFFF0000"/></rPr><t>红</t></r>'
    '<r><rPr><sz val="11"/></rPr><t xml:space="preserve">色 文字</t></r>'
    '<rPh sb="0" eb="1"><t>ホン</t></rPh><phoneticPr fontId="1"/></si>\n'
    # 2: entities and numeric character references
    '<si><t>&lt;a&gt; &amp; &quot;q&quot; &apos;s&apos; &#20013;&#x6587;&#x1F600;</t></si>\n'
    # 3: Excel escapes (_x000D_ is CR, _x005F_ protects a literal "_x0041_"), raw CRLF
    '<si><t>a_x000D_b_x005F_x0041_\r\nc</t></si>\n'
    # 4: preserved spaces, CDATA
    '<si><t xml:space="preserve">  两端空格  </t></si>\n'
    '<si><t><![CDATA[<cdata & stuff>]]></t></si>\n'
    '<si/>\n'
    '</sst>\n')
parts['xl/worksheets/sheet1.xml'] = (
    f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>WRONG SHEET</t></is></c>'
    '</row></sheetData></worksheet>')
parts['xl/worksheets/data.xml'] = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<x:worksheet xmlns:x="{NS}" xmlns:r="{RNS}">\n'
    '<x:dimension ref="A1:H4"/>\n'
    '<x:sheetData>\n'
    # row 1: cells without r take the next column; shared, rich, inline, inline rich
    '<x:row r="1"><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c>'
    '<x:c t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c>'
    '<x:c t="inlineStr"><x:is><x:r><x:t>甲</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>乙</x:t></x:r></x:is></x:c>'
    '<x:c t="s"><x:v>2</x:v></x:c><x:c t="s"><x:v>3</x:v></x:c><x:c t="s"><x:v>4</x:v></x:c>'
    '<x:c t="s"><x:v>5</x:v></x:c></x:row>\n'
    # row 2 (no r): formula string, error, numbers to normalise
    '<x:row><?pi ignored?><x:c r="A2" t="str"><x:f>"公式"&amp;"结果"</x:f><x:v>公式结果</x:v></x:c>'
    '<x:c r="B2" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>'
    '<x:c r="C2"><x:v>1.0</x:v></x:c><x:c r="D2" t="n"><x:v>0.30000000000000004</x:v></x:c>'
    '<x:c r="E2"><x:v>1E-7</x:v></x:c><x:c r="F2"><x:v>-0</x:v></x:c>'
    '<x:c r="G2"><x:v>123456789012345</x:v></x:c><x:c r="H2"><x:v>1234567890123456</x:v></x:c></x:row>\n'
    # row 3 absent; row 4: single quotes, spaces around =, an empty shared string, an empty cell
    "<x:row r='4' spans='1:3'><x:c r='A4' t='s'><x:v>6</x:v></x:c><x:c r = 'B4' s='3'/>"
    "<x:c r='C4' t='s'><x:v>0</x:v></x:c></x:row>\n"
    # row 5: a row element with no cells
    '<x:row r="5"/>\n'
    '</x:sheetData>\n'
    '<x:pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>\n'
    '</x:worksheet>\n')

with zipfile.ZipFile(sys.argv[1], 'w', compression=zipfile.ZIP_STORED) as z:
    for name, text in parts.items():
        info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        z.writestr(info, text.encode('utf-8'))
