"""The record as Markdown: metadata, then each tier's sections, then the configuration in force."""
from __future__ import annotations

from .record import Record


def to_markdown(record: Record) -> str:
    """The whole record as a Markdown document."""
    lines = [f"# Algorithmic transparency record: {record.title}", "",
             f"- Standard: {record.standard}", f"- Generated on: {record.generated_on}",
             f"- Configuration hash: {record.config_hash}", f"- Data fingerprint: {record.data_fingerprint}"]
    if record.run_id is not None:
        lines.append(f"- Describes run: {record.run_id}")
    for section in record.sections:
        lines += ["", f"## {section.title}"]
        for item in section.fields:
            lines += ["", f"### {item.name}", ""]
            if isinstance(item.value, list):
                lines += [f"- {v}" for v in item.value]
            else:
                lines.append(item.value)
    lines += ["", "## Configuration in force", "", f"Hash {record.config_hash}.", "", "```yaml",
              record.configuration_yaml.rstrip("\n"), "```", ""]
    return "\n".join(lines)
