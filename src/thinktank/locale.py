"""Words the site itself says (labels, month names) in each published language."""

from __future__ import annotations

import datetime as dt

DEFAULT = "en"

_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "tr": ["Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos",
           "Eylül", "Ekim", "Kasım", "Aralık"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
}

_LABELS = {
    "en": {
        "by": "By", "undated": "Undated", "original_publisher": "Originally published by {publisher}.",
        "about_author": "About the author", "no_bio": "No biography yet.",
        "articles_by": "Analyses by {name}", "no_articles": "No analyses yet.",
        "all_authors": "Authors", "topics": "Topics", "more": "All analyses",
    },
    "tr": {
        "by": "Yazar:", "undated": "Tarihsiz", "original_publisher": "İlk olarak {publisher} tarafından yayımlandı.",
        "about_author": "Yazar hakkında", "no_bio": "Henüz biyografi yok.",
        "articles_by": "{name} analizleri", "no_articles": "Henüz analiz yok.",
        "all_authors": "Yazarlar", "topics": "Konular", "more": "Tüm analizler",
    },
    "ru": {
        "by": "Автор:", "undated": "Без даты", "original_publisher": "Впервые опубликовано: {publisher}.",
        "about_author": "Об авторе", "no_bio": "Биография пока не добавлена.",
        "articles_by": "Аналитика: {name}", "no_articles": "Материалов пока нет.",
        "all_authors": "Авторы", "topics": "Темы", "more": "Вся аналитика",
    },
}


def label(key: str, lang: str = DEFAULT, **values: str) -> str:
    """The site's word for ``key`` in ``lang`` (English where a language lacks it)."""
    text = _LABELS.get(lang, {}).get(key) or _LABELS[DEFAULT][key]
    return text.format(**values)


def format_date(date: dt.date | None, lang: str = DEFAULT) -> str:
    """A date as readers of ``lang`` write it: "1 February 2024", "1 Şubat 2024"."""
    if date is None:
        return label("undated", lang)
    months = _MONTHS.get(lang, _MONTHS[DEFAULT])
    return f"{date.day} {months[date.month - 1]} {date.year}"
