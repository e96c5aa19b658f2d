"""What every API module shares: the schema with declared errors, and service errors as 400s."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from rest_framework import serializers

ERROR_DESCRIPTIONS = {
    "400": _("The input is not valid; the body says which field and why."),
    "401": _("No valid token or session."),
    "403": _("Your role in this organisation does not allow this."),
    "404": _("Not found, or not yours to see."),
}


class ErrorSerializer(serializers.Serializer):
    """The body of a 401, 403 or 404 answer."""

    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    """The body of a 400 answer: messages per field, and under non_field_errors."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class AutoSchema(openapi.AutoSchema):
    """Declares 400/401/403/404 on every operation, so clients and contract tests know them."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["401", "403"]
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.insert(0, "400")
        if self.method != "POST" or "{" in self.path:
            codes.append("404")
        for code in codes:
            serializer = ValidationErrorSerializer if code == "400" else ErrorSerializer
            response = self._get_response_for_code(serializer, code, direction=direction)
            response["description"] = str(ERROR_DESCRIPTIONS[code])
            responses.setdefault(code, response)
        return responses


def service_call(function, **kwargs):
    """Run a service; its Django ValidationError becomes the API's 400 with the same messages."""
    try:
        return function(**kwargs)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
