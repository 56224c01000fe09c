"""The form information governance uses to load a new version of the organisation's policy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PRESET_BYTES = 512 * 1024


class PolicyUploadForm(forms.Form):
    preset_file = forms.FileField(
        label=_("Policy preset file"),
        help_text=_("A .toml file in Engage's preset format. It applies to decisions made from now on."),
        error_messages={"required": _("Select a policy preset file")},
    )

    def clean_preset_file(self) -> str:
        upload = self.cleaned_data["preset_file"]
        if not upload.name.lower().endswith(".toml"):
            raise forms.ValidationError(_("The policy preset file must be a .toml file"))
        if upload.size > MAX_PRESET_BYTES:
            raise forms.ValidationError(_("The policy preset file must be smaller than 512 KB"))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The policy preset file must be saved as UTF-8 text")) from exc
