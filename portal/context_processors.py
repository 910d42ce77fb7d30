from portal import roles


def role_flags(request):
    """What the page header and menus need to know about the person looking."""
    user = request.user
    return {
        "is_municipal": roles.is_municipal(user),
        "is_municipal_staff": roles.is_municipal_staff(user),
        "is_district_staff": roles.is_district_staff(user),
    }
