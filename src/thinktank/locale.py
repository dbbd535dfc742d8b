"""Words the site itself says (labels, month names) in each published language."""

from __future__ import annotations

import datetime as dt

from .provenance import Origin, Provenance

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
        "machine_draft": "Machine-translated draft, not yet reviewed.",
        "draft": "Draft translation, not yet reviewed.",
        "made_by": "Produced by: {provenance}.",
        "original": "Read the English original",
        "missing": "This page has not been translated into English yet; the original is shown below.",
        "backlink": "Jump back to footnote {number} in the text",
        "by_engine": "machine translation ({model})", "by_people": "a draft by project contributors",
        "by_glossary": "citation labels from the glossary",
        "reading_time": "{minutes} min read", "cite": "Cite this analysis", "no_date": "n.d.",
        "citation": "{authors}. “{title}.” {site}, {date}. {url}",
        "related": "Related analyses", "feed": "The latest analyses of {site}, in English.",
    },
    "tr": {
        "by": "Yazar:", "undated": "Tarihsiz", "original_publisher": "İlk olarak {publisher} tarafından yayımlandı.",
        "about_author": "Yazar hakkında", "no_bio": "Henüz biyografi yok.",
        "articles_by": "{name} analizleri", "no_articles": "Henüz analiz yok.",
        "all_authors": "Yazarlar", "topics": "Konular", "more": "Tüm analizler",
        "machine_draft": "Makine çevirisi taslağı, henüz gözden geçirilmedi.",
        "draft": "Çeviri taslağı, henüz gözden geçirilmedi.",
        "made_by": "Hazırlayan: {provenance}.",
        "original": "İngilizce aslını okuyun",
        "missing": "Bu sayfa henüz Türkçeye çevrilmedi; aşağıda İngilizce aslı gösteriliyor.",
        "backlink": "Metinde {number} numaralı dipnota dön",
        "by_engine": "makine çevirisi ({model})", "by_people": "proje katkıcılarının hazırladığı taslak",
        "by_glossary": "sözlükten kaynakça etiketleri",
        "reading_time": "{minutes} dk okuma", "cite": "Bu analize atıf yapın", "no_date": "t.y.",
        "citation": "{authors}. “{title}”. {site}, {date}. {url}",
        "related": "İlgili analizler", "feed": "{site} son analizleri, Türkçe.",
    },
    "ru": {
        "by": "Автор:", "undated": "Без даты", "original_publisher": "Впервые опубликовано: {publisher}.",
        "about_author": "Об авторе", "no_bio": "Биография пока не добавлена.",
        "articles_by": "Аналитика: {name}", "no_articles": "Материалов пока нет.",
        "all_authors": "Авторы", "topics": "Темы", "more": "Вся аналитика",
        "machine_draft": "Черновик машинного перевода, ещё не проверен.",
        "draft": "Черновик перевода, ещё не проверен.",
        "made_by": "Подготовлено: {provenance}.",
        "original": "Читать оригинал на английском",
        "missing": "Эта страница ещё не переведена на русский язык; ниже показан английский оригинал.",
        "backlink": "Вернуться к сноске {number} в тексте",
        "by_engine": "машинный перевод ({model})", "by_people": "черновик участников проекта",
        "by_glossary": "библиографические пометки из глоссария",
        "reading_time": "{minutes} мин чтения", "cite": "Как цитировать", "no_date": "б. г.",
        "citation": "{authors}. {title} // {site}. {date}. URL: {url}",
        "related": "Похожие материалы", "feed": "{site}: новые материалы на русском языке.",
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


def provenance(item: Provenance, lang: str = DEFAULT) -> str:
    """Who made a draft, in the reader's language, for draft banners."""
    if item.origin is Origin.MACHINE:
        return label("by_engine", lang, model=item.detail)
    if item.origin in (Origin.MANUAL, Origin.KEPT):
        return label("by_people", lang)
    if item.origin is Origin.CITATION:
        return label("by_glossary", lang)
    return item.line
