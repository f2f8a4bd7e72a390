"""REST API of organisations: serializer and viewset together."""

from rest_framework import serializers, viewsets

from .models import Organization


class OrganizationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "kind_display", "code", "parent", "aliases", "is_active"]

    def validate(self, attrs):
        instance = Organization(
            **{
                **(
                    {}
                    if not self.instance
                    else {"name": self.instance.name, "kind": self.instance.kind, "code": self.instance.code}
                ),
                **attrs,
            }
        )
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        attrs["code"] = instance.code
        return attrs


class OrganizationViewSet(viewsets.ModelViewSet):
    serializer_class = OrganizationSerializer
    queryset = Organization.objects.prefetch_related("aliases").order_by("id")
    filterset_fields = ["kind", "is_active"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]  # nothing is deleted
