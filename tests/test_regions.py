"""Region config: a valid file gives the deadlines it states; every mistake gives one clear error that
names the file and the key path (never a YAML or Python traceback)."""

from datetime import date

import pytest

from monitor.regions import ConfigError, load_regions, parse_region, parse_regions

GOOD = """
regions:
  - name: 示例区
    portal_url: http://127.0.0.1:8765/
    years: 2021-2023
    deadlines:
      township: "02-20"
      holiday_extension: true
      holidays: [2024-02-10]
      workdays: [2024-02-04]
      overrides:
        - {kind: department, years: 2021, due: "01-28"}
        - {years: 2022, due: 2023-02-15}
  - name: 另一县
    portal_url: https://example.gov.cn/xxgk/
    years: "2022-"
"""


def test_good_file(tmp_path):
    path = tmp_path / "regions.yaml"
    path.write_text(GOOD, encoding="utf-8")
    first, second = load_regions(path)
    assert first.name == "示例区" and first.portal_url == "http://127.0.0.1:8765/"
    assert first.years.through(date(2030, 1, 1)) == [2021, 2022, 2023]
    rules = first.deadlines
    assert rules.due("township", 2023) == date(2024, 2, 20)  # a Tuesday, not extended
    assert rules.due("department", 2021) == date(2022, 1, 28)
    assert rules.due("government", 2022) == date(2023, 2, 15)
    assert rules.holiday_extension and date(2024, 2, 10) in rules.holidays and date(2024, 2, 4) in rules.workdays
    # Open-ended years run through the latest year that can be reported on the as-of date.
    assert second.years.through(date(2024, 2, 1)) == [2022, 2023]
    assert second.deadlines.due("township", 2023) == date(2024, 1, 31)


def test_mapping_round_trip_keeps_the_rules():
    region = parse_regions(GOOD)[0]
    again = parse_region(region.to_mapping())
    assert again.deadlines == region.deadlines
    assert again.years == region.years
    assert region.to_mapping()["deadlines"]["holidays"] == ["2024-02-10"]  # JSON-able for the store


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("regions: [{name: a, portal_ulr: 'http://x/'}]", "regions[0]: unknown key(s) portal_ulr"),
        ("regions: [{name: a}]", "regions[0].portal_url: required"),
        ("regions: [{name: a, portal_url: 'ftp://x/'}]", "regions[0].portal_url"),
        ("regions: [{portal_url: 'http://x/'}]", "regions[0].name: required"),
        (
            "regions: [{name: a, portal_url: 'http://x/', deadlines: {overrides: [{kind: bureau, years: 2021, due: '01-28'}]}}]",
            "regions[0].deadlines.overrides[0].kind: must be one of government, department, township",
        ),
        (
            "regions: [{name: a, portal_url: 'http://x/', deadlines: {township: '13-01'}}]",
            "regions[0].deadlines.township: expected a month-day",
        ),
        (
            "regions: [{name: a, portal_url: 'http://x/', deadlines: {overrides: [{years: 2021-2022, due: 2022-01-28}]}}]",
            "regions[0].deadlines.overrides[0].due: an exact date needs a single year",
        ),
        (
            "regions: [{name: a, portal_url: 'http://x/', deadlines: {overrides: [{years: 2021, due: 2021-12-01}]}}]",
            "is not after the end of report year 2021",
        ),
        (
            "regions: [{name: a, portal_url: 'http://x/', deadlines: {holiday_extension: 'yes'}}]",
            "regions[0].deadlines.holiday_extension: expected true or false",
        ),
        ("regions: [{name: a, portal_url: 'http://x/', years: 2005-2010}]", "before the first report year 2008"),
        ("regions: [{name: a, portal_url: 'http://x/', years: 2023-2021}]", "regions[0].years: 2021 is before 2023"),
        ("regions: [{name: a, portal_url: 'http://x/', years: soon}]", "regions[0].years: expected"),
        (
            "regions: [{name: a, portal_url: 'http://x/'}, {name: a, portal_url: 'http://y/'}]",
            "regions[1].name: duplicate region 'a'",
        ),
        ("regions: []", "regions: expected a non-empty list"),
        ("region: []", "expected a mapping with a 'regions' list"),
        ("regions: [unclosed", "not valid YAML"),
    ],
)
def test_errors_name_the_key(text, expected):
    with pytest.raises(ConfigError) as info:
        parse_regions(text, source="r.yaml")
    message = str(info.value)
    assert message.startswith("r.yaml") and expected in message
    assert "\n" not in message


def test_unreadable_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_regions(tmp_path / "absent.yaml")
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes("regions: [{name: 示例区}]".encode("gbk"))
    with pytest.raises(ConfigError, match="cannot read"):
        load_regions(bad)


GOOD_TOML = """
[[regions]]
name = "示例区"
portal_url = "http://127.0.0.1:8765/"
years = "2021-2023"

[regions.deadlines]
township = "02-20"
holiday_extension = true
holidays = [2024-02-10]
workdays = [2024-02-04]
overrides = [
  {kind = "department", years = 2021, due = "01-28"},
  {years = 2022, due = 2023-02-15},
]
"""


def test_toml_file_means_the_same_as_yaml(tmp_path):
    yaml_path, toml_path = tmp_path / "regions.yaml", tmp_path / "regions.toml"
    yaml_path.write_text(GOOD, encoding="utf-8")
    toml_path.write_text(GOOD_TOML, encoding="utf-8")
    from_yaml, from_toml = load_regions(yaml_path)[0], load_regions(toml_path)[0]
    for kind, year in [("township", 2023), ("department", 2021), ("government", 2022), ("department", 2023)]:
        assert from_toml.deadlines.due(kind, year) == from_yaml.deadlines.due(kind, year)
    assert from_toml.years.through(date(2030, 1, 1)) == [2021, 2022, 2023]
    bad = tmp_path / "bad.toml"
    bad.write_text("[[regions]\nname = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml: not valid TOML"):
        load_regions(bad)
