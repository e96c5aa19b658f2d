import datetime

import pytest

from shubbak.registry import services


@pytest.fixture
def person_data():
    return {
        "first_name": "فاطمة",
        "father_name": "عبد الله",
        "grandfather_name": "محمود",
        "family_name": "التميمي",
        "gender": "female",
        "birth_date": datetime.date(2001, 3, 14),
        "id_type": "ps_id",
        "national_id": "123456782",
        "phone": "٠٥٩٩١٢٣٤٥٦",
        "governorate": "PS-NBS",
        "displacement": "resident",
    }


@pytest.fixture
def fatima(actors, person_data):
    return services.person_create(actor=actors.officer, organisation=actors.organisation, data=person_data)


@pytest.fixture
def bakery(actors):
    data = {
        "name_ar": "مخبز الأمل",
        "legal_form": "sole",
        "status": "informal",
        "governorate": "PS-NBS",
        "men_full_time": 2,
        "revenue_band": "lt_20k",
    }
    return services.enterprise_create(actor=actors.officer, organisation=actors.organisation, data=data)
