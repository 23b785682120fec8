-- The money pages moved from /finance to /subsidy: notices already in people's inboxes open the new address.
UPDATE `notifications` SET `link` = '/subsidy' || substr(`link`, 9) WHERE `link` = '/finance' OR `link` LIKE '/finance/%' OR `link` LIKE '/finance?%';
