from processors.language.config import LanguageConfig, tenant_configs
from processors.language.detector import LanguageDetection
from processors.language.stage import LanguageStage

__all__ = ["LanguageConfig", "LanguageDetection", "LanguageStage", "tenant_configs"]
