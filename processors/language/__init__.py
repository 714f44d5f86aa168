from processors.language.stage import LanguageConfig, LanguageStage

__all__ = ["LanguageConfig", "LanguageStage"]
